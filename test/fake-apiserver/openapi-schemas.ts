/**
 * OpenAPI component schemas of the built-in kinds the fake serves (`io.k8s.api.core.v1.Node`,
 * `Pod`, `Namespace`, `ServiceAccount`, `io.k8s.api.networking.v1.NetworkPolicy`,
 * `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition`) and the
 * `meta/v1` types they share, under the names the real server publishes. They cover the fields a
 * Calico deployment reads and writes, enough for `kubectl explain` and for clients that look
 * kinds up by `x-kubernetes-group-version-kind`; descriptions are short and our own.
 *
 * Written in the v3 form (`#/components/schemas/...` references); the v2 document rewrites them.
 *
 * @module
 */
import type { JsonObject } from './types.js';

/** Prefix of component references in OpenAPI v3 documents. */
export const V3_REF = '#/components/schemas/';
/** Component name of `ObjectMeta`. */
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
/** Component name of `ListMeta`. */
export const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const CORE = 'io.k8s.api.core.v1.';
const NET = 'io.k8s.api.networking.v1.';
const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.';

const str = (description: string, extra: JsonObject = {}): JsonObject => ({ description, type: 'string', ...extra });
const int = (description: string): JsonObject => ({ description, type: 'integer', format: 'int32' });
const bool = (description: string): JsonObject => ({ description, type: 'boolean' });
const strMap = (description: string): JsonObject => ({ description, type: 'object', additionalProperties: { type: 'string', default: '' } });
const strList = (description: string): JsonObject => ({ description, type: 'array', items: { type: 'string', default: '' } });
/** A property referring to a component (the real server's `allOf` + `default: {}` form). */
const ref = (name: string, description: string): JsonObject => ({ description, allOf: [{ $ref: V3_REF + name }], default: {} });
const refList = (name: string, description: string, extra: JsonObject = {}): JsonObject => ({
  description,
  type: 'array',
  items: { allOf: [{ $ref: V3_REF + name }], default: {} },
  ...extra,
});
const obj = (description: string, properties: Record<string, JsonObject>, required?: string[]): JsonObject => ({
  description,
  type: 'object',
  ...(required ? { required } : {}),
  properties,
});

const API_VERSION = str('The versioned schema of this representation of an object; the server rejects values it does not recognise.');
const KIND = str('The REST resource this object represents, in CamelCase.');
const METADATA = ref(OBJECT_META, "Standard object's metadata.");

function kindSchema(description: string, group: string, version: string, kind: string, properties: Record<string, JsonObject>): JsonObject {
  return {
    ...obj(description, { apiVersion: API_VERSION, kind: KIND, metadata: METADATA, ...properties }),
    'x-kubernetes-group-version-kind': [{ group, kind, version }],
  };
}

function listSchema(description: string, group: string, version: string, kind: string, itemName: string): JsonObject {
  return {
    ...obj(description, { apiVersion: API_VERSION, items: refList(itemName, 'The objects of the list.'), kind: KIND, metadata: ref(LIST_META, "Standard list metadata.") }, ['items']),
    'x-kubernetes-group-version-kind': [{ group, kind: `${kind}List`, version }],
  };
}

const metaSchemas = (): Record<string, JsonObject> => ({
  [`${META}ObjectMeta`]: obj('Metadata every persisted resource has.', {
    annotations: strMap('Unstructured key/value data stored with the object; not queryable.'),
    creationTimestamp: ref(`${META}Time`, 'When the object was created (set by the server, read-only).'),
    deletionGracePeriodSeconds: { description: 'Seconds allowed for graceful termination before removal.', type: 'integer', format: 'int64' },
    deletionTimestamp: ref(`${META}Time`, 'When the object will be deleted; set by the server when deletion is requested.'),
    finalizers: { ...strList('Conditions that must be cleared before the object is removed.'), 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
    generateName: str('Prefix the server uses to make a unique name when name is empty.'),
    generation: { description: 'Sequence number of a specific generation of the desired state (set by the server).', type: 'integer', format: 'int64' },
    labels: strMap('Key/value pairs used to organise and select objects.'),
    managedFields: refList(`${META}ManagedFieldsEntry`, 'Which field managers own which fields.'),
    name: str('Name, unique within a namespace (or the cluster for cluster-scoped kinds).'),
    namespace: str('Namespace of a namespaced object; empty for cluster-scoped kinds.'),
    ownerReferences: refList(`${META}OwnerReference`, 'Objects this object depends on.', { 'x-kubernetes-list-map-keys': ['uid'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-patch-strategy': 'merge' }),
    resourceVersion: str('Opaque version of the object, for optimistic concurrency and watches.'),
    selfLink: str('Deprecated; always empty.'),
    uid: str('Unique identifier for the lifetime of the object (set by the server).'),
  }),
  [`${META}ListMeta`]: obj('Metadata of a list.', {
    continue: str('Token for the next page of a paged list.'),
    remainingItemCount: { description: 'How many items follow this page, when known.', type: 'integer', format: 'int64' },
    resourceVersion: str('Revision of the list, usable to start a watch.'),
    selfLink: str('Deprecated; always empty.'),
  }),
  [`${META}Time`]: { description: 'A timestamp in RFC 3339 form, to the second.', type: 'string', format: 'date-time' },
  [`${META}OwnerReference`]: obj(
    'An object that owns this one.',
    {
      apiVersion: str('API version of the owner.', { default: '' }),
      blockOwnerDeletion: bool('Whether the owner cannot be deleted before this object is.'),
      controller: bool('Whether the owner is the managing controller.'),
      kind: str('Kind of the owner.', { default: '' }),
      name: str('Name of the owner.', { default: '' }),
      uid: str('UID of the owner.', { default: '' }),
    },
    ['apiVersion', 'kind', 'name', 'uid'],
  ),
  [`${META}ManagedFieldsEntry`]: obj('The fields one manager owns.', {
    apiVersion: str('Version of the resource the fields belong to.'),
    fieldsType: str('Format of fieldsV1; always FieldsV1.'),
    fieldsV1: { description: 'The set of fields, as a trie.', type: 'object' },
    manager: str('Who manages the fields.'),
    operation: str('Apply or Update.'),
    subresource: str('Subresource the fields were written through.'),
    time: ref(`${META}Time`, 'When the entry last changed.'),
  }),
  [`${META}LabelSelector`]: {
    ...obj('Selects objects by labels; empty selects all.', {
      matchExpressions: refList(`${META}LabelSelectorRequirement`, 'Requirements, ANDed together.', { 'x-kubernetes-list-type': 'atomic' }),
      matchLabels: strMap('Labels that must all be present with these values.'),
    }),
    'x-kubernetes-map-type': 'atomic',
  },
  [`${META}LabelSelectorRequirement`]: obj(
    'One selector requirement.',
    { key: str('Label key.', { default: '' }), operator: str('In, NotIn, Exists or DoesNotExist.', { default: '' }), values: { ...strList('Values for In and NotIn.'), 'x-kubernetes-list-type': 'atomic' } },
    ['key', 'operator'],
  ),
  [`${META}Status`]: obj('Result of an operation that returns no object.', {
    apiVersion: API_VERSION,
    code: int('HTTP status code.'),
    details: { description: 'Extra data about the failure.', type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    kind: KIND,
    message: str('Human-readable description.'),
    metadata: ref(LIST_META, 'Standard list metadata.'),
    reason: str('Machine-readable reason.'),
    status: str('Success or Failure.'),
  }),
  [`${META}DeleteOptions`]: obj('Options of a delete request.', {
    apiVersion: API_VERSION,
    dryRun: strList('All: process the request without persisting it.'),
    gracePeriodSeconds: { description: 'Seconds before the object is deleted.', type: 'integer', format: 'int64' },
    kind: KIND,
    orphanDependents: bool('Deprecated; use propagationPolicy.'),
    preconditions: { description: 'uid and resourceVersion the object must have.', type: 'object', properties: { resourceVersion: str('Required resourceVersion.'), uid: str('Required uid.') } },
    propagationPolicy: str('Orphan, Background or Foreground.'),
  }),
  [`${META}Patch`]: { description: 'A patch document in one of the accepted patch formats.', type: 'object' },
  [`${META}WatchEvent`]: obj('One watch event.', { object: { description: 'The object (or a Status for ERROR).', type: 'object' }, type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.', { default: '' }) }, ['type', 'object']),
});

const containerPort = obj(
  'A port a container listens on.',
  { containerPort: int('Port number on the Pod IP.'), hostIP: str('Host IP to bind to.'), hostPort: int('Port on the host.'), name: str('IANA service name of the port.'), protocol: str('TCP, UDP or SCTP; defaults to TCP.', { default: 'TCP' }) },
  ['containerPort'],
);

const coreSchemas = (): Record<string, JsonObject> => ({
  [`${CORE}Node`]: kindSchema('A worker machine of the cluster.', '', 'v1', 'Node', {
    spec: ref(`${CORE}NodeSpec`, 'Desired state of the node.'),
    status: ref(`${CORE}NodeStatus`, 'Observed state of the node (written by the kubelet).'),
  }),
  [`${CORE}NodeList`]: listSchema('A list of Nodes.', '', 'v1', 'Node', `${CORE}Node`),
  [`${CORE}NodeSpec`]: obj('Desired state of a node.', {
    podCIDR: str('Pod address range assigned to the node.'),
    podCIDRs: { ...strList('Pod address ranges assigned to the node, one per IP family.'), 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
    providerID: str('Cloud provider ID of the node.'),
    taints: refList(`${CORE}Taint`, 'Taints that repel Pods.', { 'x-kubernetes-list-type': 'atomic' }),
    unschedulable: bool('Whether new Pods may be scheduled here.'),
  }),
  [`${CORE}Taint`]: obj('A taint on a node.', { effect: str('NoSchedule, PreferNoSchedule or NoExecute.', { default: '' }), key: str('Taint key.', { default: '' }), timeAdded: ref(`${META}Time`, 'When a NoExecute taint was added.'), value: str('Taint value.') }, ['key', 'effect']),
  [`${CORE}NodeStatus`]: obj('Observed state of a node.', {
    addresses: refList(`${CORE}NodeAddress`, 'Addresses of the node.', { 'x-kubernetes-list-map-keys': ['type'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge' }),
    allocatable: { description: 'Resources available for scheduling.', type: 'object', additionalProperties: { type: 'string' } },
    capacity: { description: 'Total resources of the node.', type: 'object', additionalProperties: { type: 'string' } },
    conditions: refList(`${CORE}NodeCondition`, 'Current conditions (Ready, ...).', { 'x-kubernetes-list-map-keys': ['type'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge' }),
    nodeInfo: ref(`${CORE}NodeSystemInfo`, 'Versions of the node software.'),
  }),
  [`${CORE}NodeAddress`]: obj('An address of a node.', { address: str('The address.', { default: '' }), type: str('Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.', { default: '' }) }, ['type', 'address']),
  [`${CORE}NodeCondition`]: obj(
    'A condition of a node.',
    { lastHeartbeatTime: ref(`${META}Time`, 'Last heartbeat.'), lastTransitionTime: ref(`${META}Time`, 'Last status change.'), message: str('Details.'), reason: str('Reason of the last change.'), status: str('True, False or Unknown.', { default: '' }), type: str('Condition type.', { default: '' }) },
    ['type', 'status'],
  ),
  [`${CORE}NodeSystemInfo`]: obj('Versions reported by the node.', { architecture: str('CPU architecture.'), kubeletVersion: str('Kubelet version.'), operatingSystem: str('Operating system.'), osImage: str('OS image.') }),
  [`${CORE}Pod`]: kindSchema('A group of containers run together on a node.', '', 'v1', 'Pod', {
    spec: ref(`${CORE}PodSpec`, 'Desired state of the Pod.'),
    status: ref(`${CORE}PodStatus`, 'Observed state of the Pod.'),
  }),
  [`${CORE}PodList`]: listSchema('A list of Pods.', '', 'v1', 'Pod', `${CORE}Pod`),
  [`${CORE}PodSpec`]: obj(
    'Desired state of a Pod.',
    {
      containers: refList(`${CORE}Container`, 'Containers of the Pod; at least one.', { 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' }),
      hostNetwork: bool("Use the host's network namespace."),
      initContainers: refList(`${CORE}Container`, 'Containers run to completion before the others start.', { 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' }),
      nodeName: str('Node the Pod is bound to.'),
      restartPolicy: str('Always, OnFailure or Never.'),
      serviceAccountName: str('ServiceAccount the Pod runs as.'),
      terminationGracePeriodSeconds: { description: 'Seconds the Pod is given to stop gracefully.', type: 'integer', format: 'int64' },
    },
    ['containers'],
  ),
  [`${CORE}Container`]: obj(
    'One container of a Pod.',
    {
      args: { ...strList('Arguments to the entrypoint.'), 'x-kubernetes-list-type': 'atomic' },
      command: { ...strList('Entrypoint array.'), 'x-kubernetes-list-type': 'atomic' },
      image: str('Container image name.'),
      name: str('Name of the container, unique in the Pod.', { default: '' }),
      ports: refList(`${CORE}ContainerPort`, 'Ports the container exposes.', { 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-patch-strategy': 'merge' }),
    },
    ['name'],
  ),
  [`${CORE}ContainerPort`]: containerPort,
  [`${CORE}PodStatus`]: obj('Observed state of a Pod.', {
    hostIP: str('IP of the node the Pod runs on.'),
    phase: str('Pending, Running, Succeeded, Failed or Unknown.'),
    podIP: str('Primary IP of the Pod.'),
    podIPs: refList(`${CORE}PodIP`, 'IPs of the Pod, one per IP family.', { 'x-kubernetes-list-map-keys': ['ip'], 'x-kubernetes-list-type': 'map', 'x-kubernetes-patch-merge-key': 'ip', 'x-kubernetes-patch-strategy': 'merge' }),
    qosClass: str('Quality of service class.'),
    startTime: ref(`${META}Time`, 'When the kubelet acknowledged the Pod.'),
  }),
  [`${CORE}PodIP`]: obj('One Pod IP.', { ip: str('The address.', { default: '' }) }, ['ip']),
  [`${CORE}Namespace`]: kindSchema('A scope for names.', '', 'v1', 'Namespace', {
    spec: ref(`${CORE}NamespaceSpec`, 'Desired state of the namespace.'),
    status: ref(`${CORE}NamespaceStatus`, 'Observed state of the namespace.'),
  }),
  [`${CORE}NamespaceList`]: listSchema('A list of Namespaces.', '', 'v1', 'Namespace', `${CORE}Namespace`),
  [`${CORE}NamespaceSpec`]: obj('Desired state of a namespace.', { finalizers: { ...strList('Finalizers that must be cleared before the namespace is removed.'), 'x-kubernetes-list-type': 'atomic' } }),
  [`${CORE}NamespaceStatus`]: obj('Observed state of a namespace.', { phase: str('Active or Terminating.') }),
  [`${CORE}ServiceAccount`]: kindSchema('An identity for processes in Pods.', '', 'v1', 'ServiceAccount', {
    automountServiceAccountToken: bool('Whether Pods mount a token for this account by default.'),
  }),
  [`${CORE}ServiceAccountList`]: listSchema('A list of ServiceAccounts.', '', 'v1', 'ServiceAccount', `${CORE}ServiceAccount`),
});

const networkingSchemas = (): Record<string, JsonObject> => ({
  [`${NET}NetworkPolicy`]: kindSchema('Which traffic is allowed to and from a set of Pods.', 'networking.k8s.io', 'v1', 'NetworkPolicy', {
    spec: ref(`${NET}NetworkPolicySpec`, 'The desired behaviour of the policy.'),
  }),
  [`${NET}NetworkPolicyList`]: listSchema('A list of NetworkPolicies.', 'networking.k8s.io', 'v1', 'NetworkPolicy', `${NET}NetworkPolicy`),
  [`${NET}NetworkPolicySpec`]: obj('The desired behaviour of a policy.', {
    egress: refList(`${NET}NetworkPolicyEgressRule`, 'Allowed outgoing traffic.', { 'x-kubernetes-list-type': 'atomic' }),
    ingress: refList(`${NET}NetworkPolicyIngressRule`, 'Allowed incoming traffic.', { 'x-kubernetes-list-type': 'atomic' }),
    podSelector: ref(`${META}LabelSelector`, 'Pods the policy applies to; empty selects all in the namespace.'),
    policyTypes: { ...strList('Ingress and/or Egress.'), 'x-kubernetes-list-type': 'atomic' },
  }),
  [`${NET}NetworkPolicyIngressRule`]: obj('Traffic allowed in.', { from: refList(`${NET}NetworkPolicyPeer`, 'Allowed sources.', { 'x-kubernetes-list-type': 'atomic' }), ports: refList(`${NET}NetworkPolicyPort`, 'Allowed ports.', { 'x-kubernetes-list-type': 'atomic' }) }),
  [`${NET}NetworkPolicyEgressRule`]: obj('Traffic allowed out.', { ports: refList(`${NET}NetworkPolicyPort`, 'Allowed ports.', { 'x-kubernetes-list-type': 'atomic' }), to: refList(`${NET}NetworkPolicyPeer`, 'Allowed destinations.', { 'x-kubernetes-list-type': 'atomic' }) }),
  [`${NET}NetworkPolicyPeer`]: obj('A peer of a rule.', {
    ipBlock: ref(`${NET}IPBlock`, 'A CIDR with exceptions.'),
    namespaceSelector: ref(`${META}LabelSelector`, 'Namespaces by label.'),
    podSelector: ref(`${META}LabelSelector`, 'Pods by label.'),
  }),
  [`${NET}NetworkPolicyPort`]: obj('A port of a rule.', {
    endPort: int('Last port of a range.'),
    port: { description: 'Port number or name.', 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
    protocol: str('TCP, UDP or SCTP; defaults to TCP.'),
  }),
  [`${NET}IPBlock`]: obj('A CIDR with exceptions.', { cidr: str('The CIDR.', { default: '' }), except: { ...strList('CIDRs inside cidr that are excluded.'), 'x-kubernetes-list-type': 'atomic' } }, ['cidr']),
});

const apiextensionsSchemas = (): Record<string, JsonObject> => ({
  [`${APIEXT}CustomResourceDefinition`]: kindSchema('A resource type served by the API server, defined by its schema.', 'apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', {
    spec: ref(`${APIEXT}CustomResourceDefinitionSpec`, 'The resource type being defined.'),
    status: ref(`${APIEXT}CustomResourceDefinitionStatus`, 'Whether the definition is established and its accepted names.'),
  }),
  [`${APIEXT}CustomResourceDefinitionList`]: listSchema('A list of CustomResourceDefinitions.', 'apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', `${APIEXT}CustomResourceDefinition`),
  [`${APIEXT}CustomResourceDefinitionSpec`]: obj(
    'Definition of a resource type.',
    {
      conversion: { description: 'How versions are converted; None or Webhook.', type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      group: str('API group of the resource (a domain with a dot).', { default: '' }),
      names: ref(`${APIEXT}CustomResourceDefinitionNames`, 'Names of the resource.'),
      preserveUnknownFields: bool('Deprecated; must be false for structural schemas.'),
      scope: str('Cluster or Namespaced.', { default: '' }),
      versions: refList(`${APIEXT}CustomResourceDefinitionVersion`, 'Versions served; exactly one is the storage version.', { 'x-kubernetes-list-type': 'atomic' }),
    },
    ['group', 'names', 'scope', 'versions'],
  ),
  [`${APIEXT}CustomResourceDefinitionNames`]: obj(
    'Names of a resource type.',
    {
      categories: { ...strList('Groups of resources such as "all".'), 'x-kubernetes-list-type': 'atomic' },
      kind: str('Kind of the objects (CamelCase).', { default: '' }),
      listKind: str('Kind of lists; defaults to <kind>List.'),
      plural: str('Plural name used in paths (lower case).', { default: '' }),
      shortNames: { ...strList('Short names for the CLI.'), 'x-kubernetes-list-type': 'atomic' },
      singular: str('Singular name (lower case); defaults to the lowercased kind.'),
    },
    ['plural', 'kind'],
  ),
  [`${APIEXT}CustomResourceDefinitionVersion`]: obj(
    'One version of a resource type.',
    {
      additionalPrinterColumns: { description: 'Extra table columns.', type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, 'x-kubernetes-list-type': 'atomic' },
      deprecated: bool('Whether the version is deprecated.'),
      name: str('Version name (a DNS-1035 label such as v1).', { default: '' }),
      schema: { description: 'The openAPIV3Schema of the objects.', type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      selectableFields: { description: 'Fields usable in field selectors.', type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, 'x-kubernetes-list-type': 'atomic' },
      served: bool('Whether the version is served.'),
      storage: bool('Whether objects are stored in this version.'),
      subresources: { description: 'status and scale subresources.', type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
    ['name', 'served', 'storage'],
  ),
  [`${APIEXT}CustomResourceDefinitionStatus`]: obj('Observed state of a definition.', {
    acceptedNames: ref(`${APIEXT}CustomResourceDefinitionNames`, 'Names actually being served.'),
    conditions: { description: 'NamesAccepted, Established, Terminating.', type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, 'x-kubernetes-list-map-keys': ['type'], 'x-kubernetes-list-type': 'map' },
    storedVersions: { ...strList('Versions objects were ever stored in.'), 'x-kubernetes-list-type': 'atomic' },
  }),
});

/** The component schema names of the built-in kinds, by `group/version/kind`. */
export const BUILTIN_SCHEMA_NAMES: Record<string, string> = {
  '/v1/Node': `${CORE}Node`,
  '/v1/Pod': `${CORE}Pod`,
  '/v1/Namespace': `${CORE}Namespace`,
  '/v1/ServiceAccount': `${CORE}ServiceAccount`,
  'networking.k8s.io/v1/NetworkPolicy': `${NET}NetworkPolicy`,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': `${APIEXT}CustomResourceDefinition`,
};

/** Every built-in component schema (fresh copies). */
export function builtinSchemas(): Record<string, JsonObject> {
  return { ...metaSchemas(), ...coreSchemas(), ...networkingSchemas(), ...apiextensionsSchemas() };
}
