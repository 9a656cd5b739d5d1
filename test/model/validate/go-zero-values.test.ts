/**
 * What Calico's Go types write for their zero values. encoding/json writes a field without
 * `omitempty` even when it is zero (`"hostPort": 0, "hostIP": ""`), and writes a struct-typed field
 * whatever its tag (`"status": {}`, `"creationTimestamp": null`). Documents Calico wrote must
 * validate and survive a read-modify-write, unless Calico's own rules refuse that zero value.
 *
 * The table lists every such field of the six kinds, read from Calico's Go structs
 * (api/pkg/apis/projectcalico/v3/{ippool,tier,networkpolicy,globalnetworkpolicy,policy_common}.go,
 * libcalico-go/lib/apis/internalapi/{node,workloadendpoint}.go) and, for the verdict on the zero
 * value, from libcalico-go/lib/validator/v3/validator.go and the CRDs' kubebuilder markers.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../../src/client.js';
import type { ResourceObject } from '../../../src/backends/backend.js';
import type { CalicoKind } from '../../../src/model/kinds.js';
import { serializeResource } from '../../../src/model/serialize.js';
import { validate } from '../../../src/model/validate.js';
import { createMemoryBackend } from '../../../src/testing.js';
import { API } from './fixtures.js';

/** One Go field that encoding/json writes at its zero value. */
interface GoZeroField {
  /** The kinds whose documents hold the field. */
  kinds: readonly CalicoKind[];
  /** The Go struct and field, as declared. */
  go: string;
  /** JSON path in the document; `[]` is the first element of a list. */
  path: string;
  /** What encoding/json writes for the zero value. */
  zero: unknown;
  /** Calico's verdict on that zero value: accepted, or refused (why) with a value it accepts. */
  calico: 'accepts' | { refuses: string; valid: unknown };
}

const ALL_KINDS: readonly CalicoKind[] = ['IPPool', 'Node', 'WorkloadEndpoint', 'NetworkPolicy', 'GlobalNetworkPolicy', 'Tier'];
const POLICIES: readonly CalicoKind[] = ['NetworkPolicy', 'GlobalNetworkPolicy'];

const GO_ZERO_FIELDS: readonly GoZeroField[] = [
  // metav1.ObjectMeta: every field is omitempty, but CreationTimestamp is a struct (metav1.Time), which omitempty never drops.
  { kinds: ALL_KINDS, go: 'ObjectMeta.CreationTimestamp metav1.Time `json:"creationTimestamp,omitempty"`', path: 'metadata.creationTimestamp', zero: null, calico: 'accepts' },
  // Specs and statuses that are structs (not pointers) are always written.
  { kinds: ['IPPool'], go: 'IPPool.Spec IPPoolSpec `json:"spec"`', path: 'spec', zero: {}, calico: 'accepts' },
  { kinds: ['Tier'], go: 'Tier.Spec TierSpec `json:"spec"`', path: 'spec', zero: {}, calico: 'accepts' },
  { kinds: ['Tier'], go: 'Tier.Status TierStatus `json:"status,omitempty"`', path: 'status', zero: {}, calico: 'accepts' },
  { kinds: POLICIES, go: '(Global)NetworkPolicy.Spec `json:"spec"`', path: 'spec', zero: {}, calico: 'accepts' },
  { kinds: ['Node'], go: 'Node.Spec NodeSpec `json:"spec,omitempty"`', path: 'spec', zero: {}, calico: 'accepts' },
  { kinds: ['Node'], go: 'Node.Status NodeStatus `json:"status,omitempty"`', path: 'status', zero: {}, calico: 'accepts' },
  { kinds: ['WorkloadEndpoint'], go: 'WorkloadEndpoint.Spec WorkloadEndpointSpec `json:"spec,omitempty"`', path: 'spec', zero: {}, calico: 'accepts' },
  // Scalars without omitempty.
  { kinds: ['IPPool'], go: 'IPPoolSpec.CIDR string `json:"cidr" validate:"net"`', path: 'spec.cidr', zero: '', calico: { refuses: 'validate:"net"', valid: '10.0.0.0/16' } },
  { kinds: ['NetworkPolicy'], go: 'Rule.Action Action `json:"action"`', path: 'spec.ingress[].action', zero: '', calico: { refuses: 'kubebuilder Enum=Allow;Deny;Log;Pass', valid: 'Allow' } },
  { kinds: ['GlobalNetworkPolicy'], go: 'Rule.Action Action `json:"action"`', path: 'spec.egress[].action', zero: '', calico: { refuses: 'kubebuilder Enum=Allow;Deny;Log;Pass', valid: 'Deny' } },
  // NodeSpec's lists are validate:"omitempty" without dive: Calico never checks their entries.
  { kinds: ['Node'], go: 'OrchRef.Orchestrator string `json:"orchestrator"`', path: 'spec.orchRefs[].orchestrator', zero: '', calico: 'accepts' },
  { kinds: ['Node'], go: 'NodeAddress.Address string `json:"address" validate:"net"` (list not dived)', path: 'spec.addresses[].address', zero: '', calico: 'accepts' },
  // WorkloadEndpointSpec.Ports is validate:"dive,omitempty", IPNATs validate:"omitempty,dive": entries are checked.
  {
    kinds: ['WorkloadEndpoint'],
    go: 'WorkloadEndpointPort.Name string `json:"name" validate:"omitempty,portName"`',
    path: 'spec.ports[].name',
    zero: '',
    calico: { refuses: 'validateWorkloadEndpointPort: name must not be empty if no HostPort', valid: 'http' },
  },
  {
    kinds: ['WorkloadEndpoint'],
    go: 'WorkloadEndpointPort.Protocol numorstring.Protocol `json:"protocol"`',
    path: 'spec.ports[].protocol',
    zero: 0,
    calico: { refuses: 'validateWorkloadEndpointPort: protocol does not support ports', valid: 'TCP' },
  },
  { kinds: ['WorkloadEndpoint'], go: 'WorkloadEndpointPort.Port uint16 `json:"port" validate:"gt=0"`', path: 'spec.ports[].port', zero: 0, calico: { refuses: 'validate:"gt=0"', valid: 8080 } },
  { kinds: ['WorkloadEndpoint'], go: 'WorkloadEndpointPort.HostPort uint16 `json:"hostPort"`', path: 'spec.ports[].hostPort', zero: 0, calico: 'accepts' },
  { kinds: ['WorkloadEndpoint'], go: 'WorkloadEndpointPort.HostIP string `json:"hostIP" validate:"omitempty,net"`', path: 'spec.ports[].hostIP', zero: '', calico: 'accepts' },
  { kinds: ['WorkloadEndpoint'], go: 'IPNAT.InternalIP string `json:"internalIP" validate:"omitempty,ip"`', path: 'spec.ipNATs[].internalIP', zero: '', calico: { refuses: 'validateIPNAT: invalid IP address', valid: '10.0.0.1' } },
  { kinds: ['WorkloadEndpoint'], go: 'IPNAT.ExternalIP string `json:"externalIP" validate:"omitempty,ip"`', path: 'spec.ipNATs[].externalIP', zero: '', calico: { refuses: 'validateIPNAT: invalid IP address', valid: '172.16.0.1' } },
];

/** The omitempty fields a document needs to be a meaningful object of its kind (not part of the table). */
function identity(kind: CalicoKind): Record<string, unknown> {
  const meta = (name: string, namespace?: string) => ({ metadata: namespace ? { name, namespace } : { name } });
  switch (kind) {
    case 'WorkloadEndpoint':
      return {
        ...meta('node--1-k8s-web--0-eth0', 'shop'),
        spec: {
          orchestrator: 'k8s',
          node: 'node-1',
          pod: 'web-0',
          endpoint: 'eth0',
          interfaceName: 'cali0123456789a',
          ipNetworks: ['10.0.0.1/32'],
          // As Calico's CNI plugin writes a hostPort mapping: no name, hostIP empty.
          ports: [{}, { name: '', protocol: 'UDP', port: 53, hostPort: 5353, hostIP: '' }],
        },
      };
    case 'NetworkPolicy':
      return { ...meta('allow-web', 'shop'), spec: { selector: 'app == "web"' } };
    default:
      return meta(kind === 'Node' ? 'node-1' : kind.toLowerCase());
  }
}

/** Sets `value` at a table path, creating objects and first list elements on the way. */
function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at: Record<string, unknown> = doc;
  parts.forEach((part, i) => {
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    if (i === parts.length - 1) {
      // A struct written at its zero value merges with what other rows put inside it.
      if (typeof value === 'object' && value !== null && typeof at[key] === 'object') return;
      at[key] = structuredClone(value);
      return;
    }
    if (list) {
      const items = (at[key] ??= [{}]) as Record<string, unknown>[];
      items[0] ??= {};
      at = items[0];
    } else {
      at = (at[key] ??= {}) as Record<string, unknown>;
    }
  });
}

/** The document Go writes for `kind`: the identity, and every table field at its zero value where Calico accepts it. */
function goDocument(kind: CalicoKind, except?: GoZeroField): Record<string, unknown> {
  const doc: Record<string, unknown> = { apiVersion: API, kind, ...structuredClone(identity(kind)) };
  // Structs first, so scalar rows fill them.
  const rows = GO_ZERO_FIELDS.filter((f) => f.kinds.includes(kind)).sort((a, b) => a.path.split('.').length - b.path.split('.').length);
  for (const f of rows) setPath(doc, f.path, f === except || f.calico === 'accepts' ? f.zero : f.calico.valid);
  return doc;
}

/** A field path as validate() reports it (`spec.ports[0].hostIP`). */
function reportedPath(path: string): string {
  return path.replaceAll('[]', '[0]');
}

describe('zero values Calico writes for fields without omitempty', () => {
  it('the table covers every kind', () => {
    for (const kind of ALL_KINDS) expect({ kind, rows: GO_ZERO_FIELDS.filter((f) => f.kinds.includes(kind)).length > 1 }).toEqual({ kind, rows: true });
  });

  it.each(ALL_KINDS)('%s as Go writes it validates', (kind) => {
    const doc = goDocument(kind);
    expect(validate(doc).errors).toEqual([]);
  });

  it('builds the WorkloadEndpoint ports as Calico writes them', () => {
    expect((goDocument('WorkloadEndpoint').spec as { ports: unknown[] }).ports).toEqual([
      { name: 'http', protocol: 'TCP', port: 8080, hostPort: 0, hostIP: '' },
      { name: '', protocol: 'UDP', port: 53, hostPort: 5353, hostIP: '' },
    ]);
  });

  const refused = GO_ZERO_FIELDS.flatMap((f) => (f.calico === 'accepts' ? [] : f.kinds.map((kind) => ({ kind, field: f, why: (f.calico as { refuses: string }).refuses }))));
  it.each(refused)('$kind $field.path at its zero value is refused, as Calico refuses it ($why)', ({ kind, field }) => {
    const paths = validate(goDocument(kind, field)).errors.map((e) => e.path);
    expect(paths).toContain(reportedPath(field.path));
  });

  it.each(ALL_KINDS)('%s as Go writes it serialises unchanged', (kind) => {
    const doc = goDocument(kind);
    expect(serializeResource(doc)).toEqual(doc);
  });

  it.each(ALL_KINDS)('%s as Go writes it survives a read-modify-write through the client', async (kind) => {
    const backend = createMemoryBackend();
    const client = createClient({ backend });
    try {
      const doc = goDocument(kind);
      const meta = doc.metadata as { name: string; namespace?: string };
      const key = meta.namespace ? { kind, namespace: meta.namespace, name: meta.name } : { kind, name: meta.name };
      // As Calico wrote it, straight into the datastore.
      await backend.ensureInitialized();
      await backend.create({ key, value: structuredClone(doc) as unknown as ResourceObject });
      const accessor = {
        IPPool: client.ipPools,
        Node: client.nodes,
        WorkloadEndpoint: client.workloadEndpoints,
        NetworkPolicy: client.networkPolicies,
        GlobalNetworkPolicy: client.globalNetworkPolicies,
        Tier: client.tiers,
      }[kind] as typeof client.ipPools;
      const read = await accessor.get(meta);
      const updated = await accessor.update({ ...read, metadata: { ...read.metadata, labels: { ...read.metadata.labels, touched: 'yes' } } } as never);
      const stored: unknown = (await backend.get(key)).value;
      // Every field Calico wrote is still there with its value (defaults may add fields).
      const expected = { ...doc, metadata: { ...(doc.metadata as object), labels: expect.objectContaining({ touched: 'yes' }) } };
      expect(stored).toMatchObject(expected);
      expect(updated).toMatchObject(expected);
    } finally {
      await client.close();
    }
  });
});
