/**
 * The converters as the package exports them, each behind the input guard: a Pod, Node or
 * NetworkPolicy handed to `podToWorkloadEndpoint`, `kubeNodeToCalico` or
 * `kubeNetworkPolicyToCalico` must be plain data (wire JSON, or client-node's typed objects with
 * `Date` timestamps) with the shape of the fields the converter reads, and the options must have
 * their documented types. Anything else is a ValidationError naming the field (`pod.spec`,
 * `networkPolicy.spec.ingress[0].ports[1].port`, `options.onWarning`), before any conversion.
 *
 * The Kubernetes backend calls the unguarded converters: what it converts is JSON it parsed.
 *
 * @module
 */
import { ValidationError } from '../../errors.js';
import { plainDataError, readOptions } from '../../model/input-guard.js';
import { shapeError, type Shape } from '../../model/input-shape.js';
import type { Node, NetworkPolicy, WorkloadEndpoint } from '../../model/types.generated.js';
import type { KubeNetworkPolicy, KubeNode, KubePod } from './kube-types.js';
import { kubeNetworkPolicyToCalico as convertNetworkPolicy, type KubeNetworkPolicyConversionOptions } from './network-policy-conversion.js';
import { kubeNodeToCalico as convertNode, type NodeConversionOptions } from './node-conversion.js';
import { podToWorkloadEndpoint as convertPod, type PodConversionOptions } from './pod-conversion.js';

const stringMap: Shape = { map: 'string' };
const stringList: Shape = { array: 'string' };

const META: Shape = {
  object: {
    name: 'string',
    namespace: 'string',
    uid: 'string',
    resourceVersion: 'string',
    generateName: 'string',
    creationTimestamp: 'timestamp',
    deletionTimestamp: 'timestamp',
    labels: stringMap,
    annotations: stringMap,
  },
};

const CONTAINERS: Shape = {
  array: { object: { ports: { array: { object: { name: 'string', containerPort: 'number', hostPort: 'number', hostIP: 'string', protocol: 'string' } } } } },
};

/** The fields `podToWorkloadEndpoint` reads. */
const POD_SHAPE: Shape = {
  object: {
    metadata: META,
    spec: { object: { nodeName: 'string', hostNetwork: 'boolean', serviceAccountName: 'string', containers: CONTAINERS, initContainers: CONTAINERS } },
    status: { object: { phase: 'string', podIP: 'string', podIPs: { array: { object: { ip: 'string' } } } } },
  },
};

const LABEL_SELECTOR: Shape = {
  object: { matchLabels: stringMap, matchExpressions: { array: { object: { key: 'string', operator: 'string', values: stringList } } } },
};
const PEERS: Shape = {
  array: { object: { podSelector: LABEL_SELECTOR, namespaceSelector: LABEL_SELECTOR, ipBlock: { object: { cidr: 'string', except: stringList } } } },
};
const PORTS: Shape = { array: { object: { protocol: 'string', port: 'stringOrNumber', endPort: 'number' } } };

/** The fields `kubeNetworkPolicyToCalico` reads. */
const NETWORK_POLICY_SHAPE: Shape = {
  object: {
    metadata: META,
    spec: {
      object: {
        podSelector: LABEL_SELECTOR,
        policyTypes: stringList,
        ingress: { array: { object: { from: PEERS, ports: PORTS } } },
        egress: { array: { object: { to: PEERS, ports: PORTS } } },
      },
    },
  },
};

/** The fields `kubeNodeToCalico` reads. */
const NODE_SHAPE: Shape = {
  object: {
    metadata: META,
    spec: { object: { podCIDR: 'string', podCIDRs: stringList } },
    status: { object: { addresses: { array: { object: { type: 'string', address: 'string' } } } } },
  },
};

/**
 * Refuses a converter's input that is not a plain-data object of `shape`.
 *
 * @param value The caller's object.
 * @param shape The fields the converter reads.
 * @param root The argument's name in messages (`pod`, `node`, `networkPolicy`).
 * @throws ValidationError naming the first bad field.
 */
function assertKubeInput(value: unknown, shape: Shape, root: string): void {
  const error =
    plainDataError(value, { root, typedObjects: true }) ??
    (value === null || typeof value !== 'object' || Array.isArray(value) ? { path: root, type: 'invalid' as const, message: 'must be an object' } : shapeError(value, shape, root));
  if (error !== undefined) throw new ValidationError([error]);
}

/**
 * {@link convertPod | podToWorkloadEndpoint} (see `pod-conversion.ts`) behind the input guard.
 *
 * @param pod The Pod (wire JSON or a client-node `V1Pod`).
 * @param options See {@link PodConversionOptions}.
 * @return The endpoint, or `undefined` for a Pod that is not one.
 * @throws ValidationError naming the field when the Pod or an option has the wrong shape;
 *   ParseError when an address or a JSON annotation is malformed.
 */
export function podToWorkloadEndpoint(pod: KubePod, options: PodConversionOptions = {}): WorkloadEndpoint | undefined {
  assertKubeInput(pod, POD_SHAPE, 'pod');
  return convertPod(pod, readOptions(options, 'options', { interfacePrefix: 'string', onWarning: 'function' }) as PodConversionOptions);
}

/**
 * {@link convertNetworkPolicy | kubeNetworkPolicyToCalico} (see `network-policy-conversion.ts`)
 * behind the input guard.
 *
 * @param np The Kubernetes NetworkPolicy (wire JSON or a client-node `V1NetworkPolicy`).
 * @param options See {@link KubeNetworkPolicyConversionOptions}.
 * @return The Calico NetworkPolicy.
 * @throws ValidationError naming the field when the policy or an option has the wrong shape;
 *   ParseError when its uid is not a UUID.
 */
export function kubeNetworkPolicyToCalico(np: KubeNetworkPolicy, options: KubeNetworkPolicyConversionOptions = {}): NetworkPolicy {
  assertKubeInput(np, NETWORK_POLICY_SHAPE, 'networkPolicy');
  return convertNetworkPolicy(np, readOptions(options, 'options', { legacyName: 'boolean', onWarning: 'function' }) as KubeNetworkPolicyConversionOptions);
}

/**
 * {@link convertNode | kubeNodeToCalico} (see `node-conversion.ts`) behind the input guard.
 *
 * @param kubeNode The Kubernetes Node (wire JSON or a client-node `V1Node`).
 * @param options See {@link NodeConversionOptions}.
 * @return The Calico Node.
 * @throws ValidationError naming the field when the Node or an option has the wrong shape.
 */
export function kubeNodeToCalico(kubeNode: KubeNode, options: NodeConversionOptions = {}): Node {
  assertKubeInput(kubeNode, NODE_SHAPE, 'node');
  return convertNode(kubeNode, readOptions(options, 'options', { usePodCIDR: 'boolean' }) as NodeConversionOptions);
}
