/**
 * The built-in resources the fake server serves — core `v1` `nodes`, `pods`, `namespaces`,
 * `serviceaccounts` and `networking.k8s.io/v1` `networkpolicies` — with the defaults and
 * validation of the real API server that matter to a Calico client:
 *
 * - Pod: `spec.serviceAccountName` defaults to `default`, container port `protocol` to `TCP`,
 *   `status.phase` to `Pending`; containers need a name and an image; an update may not change
 *   the spec beyond container images, `activeDeadlineSeconds` and added tolerations.
 * - Namespace: label `kubernetes.io/metadata.name`, finalizer `kubernetes`, phase `Active`.
 * - NetworkPolicy: `policyTypes` defaulted from the rules, port `protocol` to `TCP`.
 *
 * @module
 */
import { forbidden, required, type FieldErr } from './field-errors.js';
import type { JsonObject, JsonValue, KubeObject, ResourceDefinition } from './types.js';

function obj(parent: KubeObject | JsonObject, key: string): JsonObject {
  const v = parent[key];
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as JsonObject;
  const fresh: JsonObject = {};
  (parent as JsonObject)[key] = fresh;
  return fresh;
}

function list(parent: JsonObject, key: string): JsonObject[] {
  const v = parent[key];
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object' && !Array.isArray(x)) as JsonObject[]) : [];
}

function setDefault(o: JsonObject, key: string, value: JsonValue): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function defaultContainer(c: JsonObject): void {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  const image = str(c.image);
  const lastPart = image.split('/').pop() ?? '';
  const tagged = lastPart.includes(':') && !image.endsWith(':latest');
  setDefault(c, 'imagePullPolicy', tagged || image.includes('@') ? 'IfNotPresent' : 'Always');
  setDefault(c, 'resources', {});
  for (const p of list(c, 'ports')) setDefault(p, 'protocol', 'TCP');
}

function defaultPod(o: KubeObject): void {
  const spec = obj(o, 'spec');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  setDefault(spec, 'priority', 0);
  // The ServiceAccount admission plugin fills in the default account; the deprecated alias follows it.
  if (!str(spec.serviceAccountName)) spec.serviceAccountName = str(spec.serviceAccount) || 'default';
  spec.serviceAccount = spec.serviceAccountName as string;
  for (const c of [...list(spec, 'containers'), ...list(spec, 'initContainers')]) defaultContainer(c);
  const status = obj(o, 'status');
  setDefault(status, 'phase', 'Pending');
  setDefault(status, 'qosClass', 'BestEffort');
}

function validateContainers(spec: JsonObject, key: string, errs: FieldErr[]): void {
  list(spec, key).forEach((c, i) => {
    if (!str(c.name)) errs.push(required(`spec.${key}[${i}].name`));
    if (!str(c.image)) errs.push(required(`spec.${key}[${i}].image`));
  });
}

/** Spec fields an update may change, blanked before comparing old and new Pod specs. */
function mutableStripped(spec: JsonValue | undefined): string {
  const s = JSON.parse(JSON.stringify(spec ?? {})) as JsonObject;
  for (const key of ['containers', 'initContainers']) for (const c of list(s, key)) delete c.image;
  delete s.activeDeadlineSeconds;
  delete s.tolerations;
  delete s.terminationGracePeriodSeconds;
  return JSON.stringify(sortKeys(s));
}

function sortKeys(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as JsonObject)[k] as JsonValue);
    return out;
  }
  return v;
}

function validatePod(o: KubeObject, old?: KubeObject): FieldErr[] {
  const errs: FieldErr[] = [];
  const spec = (o.spec ?? {}) as JsonObject;
  if (list(spec, 'containers').length === 0) errs.push(required('spec.containers'));
  validateContainers(spec, 'containers', errs);
  validateContainers(spec, 'initContainers', errs);
  if (old && mutableStripped(o.spec as JsonValue) !== mutableStripped(old.spec as JsonValue)) {
    errs.push(
      forbidden(
        'spec',
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      ),
    );
  }
  return errs;
}

function defaultNamespace(o: KubeObject): void {
  const meta = o.metadata ?? (o.metadata = {});
  meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name ?? '' };
  const spec = obj(o, 'spec');
  setDefault(spec, 'finalizers', ['kubernetes']);
  const status = obj(o, 'status');
  setDefault(status, 'phase', 'Active');
}

function defaultNetworkPolicy(o: KubeObject): void {
  const spec = obj(o, 'spec');
  setDefault(spec, 'podSelector', {});
  for (const dir of ['ingress', 'egress']) {
    for (const rule of list(spec, dir)) for (const p of list(rule, 'ports')) setDefault(p, 'protocol', 'TCP');
  }
  const types = spec.policyTypes;
  if (!Array.isArray(types) || types.length === 0) {
    spec.policyTypes = list(spec, 'egress').length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

const asText = (v: JsonValue | undefined): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v));
const at = (o: KubeObject, a: string, b: string): JsonValue | undefined => ((o[a] ?? {}) as JsonObject)[b];

type BuiltinInput = Omit<ResourceDefinition, 'singular' | 'listKind' | 'custom' | 'listItemsHaveTypeMeta' | 'statusStrategy'> &
  Partial<Pick<ResourceDefinition, 'singular' | 'listKind'>>;

function builtin(d: BuiltinInput): ResourceDefinition {
  return {
    singular: d.kind.toLowerCase(),
    listKind: `${d.kind}List`,
    custom: false,
    listItemsHaveTypeMeta: false,
    statusStrategy: 'keep-spec',
    ...d,
  };
}

/** Fresh copies of the built-in resource definitions. */
export function builtinResources(): ResourceDefinition[] {
  return [
    builtin({
      group: '',
      version: 'v1',
      plural: 'namespaces',
      kind: 'Namespace',
      namespaced: false,
      shortNames: ['ns'],
      statusSubresource: true,
      generation: false,
      updateKeepsStatus: true,
      allowUnconditionalUpdate: true,
      returnDeletedObject: true,
      nameRule: 'dns-label',
      fields: { 'status.phase': (o) => asText(at(o, 'status', 'phase')) },
      defaulter: defaultNamespace,
    }),
    builtin({
      group: '',
      version: 'v1',
      plural: 'nodes',
      kind: 'Node',
      namespaced: false,
      shortNames: ['no'],
      statusSubresource: true,
      generation: false,
      updateKeepsStatus: true,
      allowUnconditionalUpdate: true,
      returnDeletedObject: false,
      nameRule: 'dns-subdomain',
      fields: { 'spec.unschedulable': (o) => String(at(o, 'spec', 'unschedulable') === true) },
    }),
    builtin({
      group: '',
      version: 'v1',
      plural: 'pods',
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
      categories: ['all'],
      statusSubresource: true,
      generation: false,
      updateKeepsStatus: true,
      allowUnconditionalUpdate: true,
      returnDeletedObject: true,
      nameRule: 'dns-subdomain',
      fields: {
        'spec.nodeName': (o) => asText(at(o, 'spec', 'nodeName')),
        'spec.restartPolicy': (o) => asText(at(o, 'spec', 'restartPolicy')),
        'spec.schedulerName': (o) => asText(at(o, 'spec', 'schedulerName')),
        'spec.serviceAccountName': (o) => asText(at(o, 'spec', 'serviceAccountName')),
        'spec.hostNetwork': (o) => String(at(o, 'spec', 'hostNetwork') === true),
        'status.phase': (o) => asText(at(o, 'status', 'phase')),
        'status.podIP': (o) => asText(at(o, 'status', 'podIP')),
        'status.nominatedNodeName': (o) => asText(at(o, 'status', 'nominatedNodeName')),
      },
      defaulter: defaultPod,
      validator: validatePod,
    }),
    builtin({
      group: '',
      version: 'v1',
      plural: 'serviceaccounts',
      kind: 'ServiceAccount',
      namespaced: true,
      shortNames: ['sa'],
      statusSubresource: false,
      generation: false,
      updateKeepsStatus: false,
      allowUnconditionalUpdate: true,
      returnDeletedObject: true,
      nameRule: 'dns-subdomain',
    }),
    builtin({
      group: 'networking.k8s.io',
      version: 'v1',
      plural: 'networkpolicies',
      kind: 'NetworkPolicy',
      namespaced: true,
      shortNames: ['netpol'],
      statusSubresource: false,
      generation: true,
      updateKeepsStatus: false,
      allowUnconditionalUpdate: true,
      returnDeletedObject: false,
      nameRule: 'dns-subdomain',
      defaulter: defaultNetworkPolicy,
    }),
  ];
}
