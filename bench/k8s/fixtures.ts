/**
 * Realistic Pods for the Kubernetes benchmarks: owner references, labels, Calico CNI annotations,
 * two containers with ports, a service account, status with IPs and conditions (about 2.5 KB of
 * JSON each, like a small Deployment's Pods).
 *
 * @module
 */
import type { KubeObject } from '../../test/fake-apiserver/index.js';

/** Namespaces the Pods are spread over. */
export const NAMESPACES = Array.from({ length: 10 }, (_, i) => `bench-${i}`);

/**
 * The `i`-th benchmark Pod.
 *
 * @param i Index.
 * @return The Pod.
 */
export function benchPod(i: number): KubeObject {
  const ns = NAMESPACES[i % NAMESPACES.length] as string;
  const app = `app-${i % 37}`;
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-7d9f8c6b5-${i.toString(36).padStart(5, '0')}`,
      namespace: ns,
      generateName: `${app}-7d9f8c6b5-`,
      labels: { app, 'pod-template-hash': '7d9f8c6b5', tier: i % 2 === 0 ? 'web' : 'api', 'app.kubernetes.io/part-of': 'shop' },
      annotations: {
        'cni.projectcalico.org/containerID': `c0ffee${i.toString(16).padStart(10, '0')}deadbeef`,
        'cni.projectcalico.org/podIP': `${ip}/32`,
        'cni.projectcalico.org/podIPs': `${ip}/32`,
        'kubectl.kubernetes.io/restartedAt': '2025-03-01T09:00:00Z',
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-7d9f8c6b5`, uid: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      nodeName: `node-${i % 100}`,
      serviceAccountName: app,
      containers: [
        { name: 'app', image: 'registry.example.com/shop/app:1.4.2', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '128Mi' } } },
        { name: 'sidecar', image: 'registry.example.com/proxy:2.0.1', ports: [{ name: 'admin', containerPort: 15000, protocol: 'TCP' }] },
      ],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
    },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      hostIP: `192.168.${(i % 100) >> 8}.${i % 100}`,
      startTime: '2025-03-01T09:00:05Z',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: '2025-03-01T09:00:05Z' },
        { type: 'Ready', status: 'True', lastTransitionTime: '2025-03-01T09:00:09Z' },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: '2025-03-01T09:00:09Z' },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-03-01T09:00:05Z' },
      ],
    },
  };
}
