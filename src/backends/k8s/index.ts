/**
 * The Kubernetes datastore (Calico's "KDD" mode): Calico resources as custom resources, Nodes and
 * WorkloadEndpoints as views of Kubernetes Nodes and Pods, Kubernetes NetworkPolicies converted
 * read-only; plus the pure converters, for tools that hold Kubernetes objects already.
 *
 * Importing this module does not load `@kubernetes/client-node`; {@link createKubernetesBackend}
 * does.
 *
 * @module
 */
export { createKubernetesBackend, KUBERNETES_CAPABILITIES } from './k8s-backend.js';
export type { KubernetesBackendOptions } from './k8s-backend.js';
export { podInterfaceName, isWorkloadEndpointPod, isFinishedPod } from './pod-conversion.js';
export { podToWorkloadEndpoint, kubeNetworkPolicyToCalico, kubeNodeToCalico } from './public-converters.js';
export type { PodConversionOptions } from './pod-conversion.js';
export { kubeSelectorToCalico, KNP_LEGACY_PREFIX } from './network-policy-conversion.js';
export type { KubeNetworkPolicyConversionOptions } from './network-policy-conversion.js';
export { mergeCalicoNodeIntoKubeNode, NODE_ANNOTATIONS } from './node-conversion.js';
export type { NodeConversionOptions } from './node-conversion.js';
export { convertUID } from './uid.js';
export { KUBERNETES_NETWORK_POLICY_KIND } from './kubernetes-network-policy.js';
export { qosControlsFromAnnotations } from './qos.js';
export type { KubeContainer, KubeContainerPort, KubeLabelSelector, KubeNetworkPolicy, KubeNetworkPolicyPeer, KubeNetworkPolicyPort, KubeNode, KubeObject, KubeObjectMeta, KubeOwnerReference, KubePod, KubeTimestamp } from './kube-types.js';
