/**
 * QoS controls of a Kubernetes-mode WorkloadEndpoint, read from Pod annotations the way Calico's
 * `handleQoSControlsAnnotations` does: the Kubernetes bandwidth annotations, overridden by the
 * `qos.projectcalico.org/*` ones; values outside Calico's ranges are clamped, dependent settings
 * without the setting they need are dropped, bursts get their defaults. Problems are reported,
 * never thrown: the endpoint is kept.
 *
 * @module
 */
import { parseDSCP } from '../../model/workload-endpoint.js';
import type { QoSControls } from '../../model/types.generated.js';
import { quantityValue } from './quantity.js';

type NumericControl = Exclude<keyof QoSControls, 'dscp'>;

interface Range {
  readonly min: bigint;
  readonly max: bigint;
}

const BANDWIDTH: Range = { min: 1000n, max: 10n ** 15n };
const BURST: Range = { min: 1000n, max: 4294967295n * 8n };
const PEAKRATE: Range = { min: 1010n, max: 101n * 10n ** 13n };
const MINBURST: Range = { min: 1000n, max: 100_000_000n };
const PACKET_RATE: Range = { min: 1n, max: 10_000n };
const PACKET_BURST: Range = { min: 1n, max: 10_000n };
const CONNECTIONS: Range = { min: 1n, max: 4294967295n };
/** Default burst in bits when a bandwidth is set (4Gi). */
const DEFAULT_BURST = 4294967296;
/** Default packet burst when a packet rate is set. */
const DEFAULT_PACKET_BURST = 5;

/** Annotation → control, in Calico's order (the Kubernetes bandwidth annotations first, so the Calico ones override them). */
const ANNOTATIONS: readonly (readonly [string, NumericControl, Range])[] = [
  ['kubernetes.io/ingress-bandwidth', 'ingressBandwidth', BANDWIDTH],
  ['kubernetes.io/egress-bandwidth', 'egressBandwidth', BANDWIDTH],
  ['qos.projectcalico.org/ingressBandwidth', 'ingressBandwidth', BANDWIDTH],
  ['qos.projectcalico.org/egressBandwidth', 'egressBandwidth', BANDWIDTH],
  ['qos.projectcalico.org/ingressBurst', 'ingressBurst', BURST],
  ['qos.projectcalico.org/egressBurst', 'egressBurst', BURST],
  ['qos.projectcalico.org/ingressPeakrate', 'ingressPeakrate', PEAKRATE],
  ['qos.projectcalico.org/egressPeakrate', 'egressPeakrate', PEAKRATE],
  ['qos.projectcalico.org/ingressMinburst', 'ingressMinburst', MINBURST],
  ['qos.projectcalico.org/egressMinburst', 'egressMinburst', MINBURST],
  ['qos.projectcalico.org/ingressPacketRate', 'ingressPacketRate', PACKET_RATE],
  ['qos.projectcalico.org/egressPacketRate', 'egressPacketRate', PACKET_RATE],
  ['qos.projectcalico.org/ingressPacketBurst', 'ingressPacketBurst', PACKET_BURST],
  ['qos.projectcalico.org/egressPacketBurst', 'egressPacketBurst', PACKET_BURST],
  ['qos.projectcalico.org/ingressMaxConnections', 'ingressMaxConnections', CONNECTIONS],
  ['qos.projectcalico.org/egressMaxConnections', 'egressMaxConnections', CONNECTIONS],
];

/** Annotation holding the DSCP value for egress traffic. */
export const QOS_DSCP_ANNOTATION = 'qos.projectcalico.org/dscp';

/** True when an annotation map holds any QoS annotation (a quick pre-check for the hot path). */
export function hasQoSAnnotations(annotations: Readonly<Record<string, string>>): boolean {
  for (const key in annotations) {
    if (key.startsWith('qos.projectcalico.org/') || key === 'kubernetes.io/ingress-bandwidth' || key === 'kubernetes.io/egress-bandwidth') return true;
  }
  return false;
}

/** Result of {@link qosControlsFromAnnotations}. */
export interface QoSResult {
  /** The controls, or undefined when none is set. */
  qosControls: QoSControls | undefined;
  /** What was clamped, dropped or could not be parsed (annotation names and reasons, no values). */
  problems: string[];
}

/**
 * Reads the QoS controls of a Pod from its annotations (Calico's rules, backends spec §3.8).
 *
 * ## Example
 * ```ts
 * qosControlsFromAnnotations({ 'kubernetes.io/ingress-bandwidth': '10M' }).qosControls;
 * // { ingressBandwidth: 10000000, ingressBurst: 4294967296 }
 * ```
 * @param annotations The Pod's annotations.
 * @return The controls and any problems.
 */
export function qosControlsFromAnnotations(annotations: Readonly<Record<string, string>>): QoSResult {
  const problems: string[] = [];
  const q: Partial<Record<NumericControl, number>> = {};
  for (const [annotation, control, range] of ANNOTATIONS) {
    const text = annotations[annotation];
    if (text === undefined) continue;
    const value = quantityValue(text);
    if (value === undefined) {
      problems.push(`${annotation}: not a quantity`);
      q[control] = 0;
    } else if (value < range.min) {
      problems.push(`${annotation}: less than ${range.min}, using ${range.min}`);
      q[control] = Number(range.min);
    } else if (value > range.max) {
      problems.push(`${annotation}: more than ${range.max}, using ${range.max}`);
      q[control] = Number(range.max);
    } else q[control] = Number(value);
  }
  const requires = (dependent: NumericControl, needed: NumericControl, message: string, ok = (q[needed] ?? 0) !== 0): void => {
    if ((q[dependent] ?? 0) !== 0 && !ok) {
      problems.push(message);
      q[dependent] = 0;
    }
  };
  for (const dir of ['ingress', 'egress'] as const) {
    requires(`${dir}Burst`, `${dir}Bandwidth`, `${dir} bandwidth must be specified when ${dir} burst is specified`);
    const bandwidth = q[`${dir}Bandwidth`] ?? 0;
    requires(`${dir}Peakrate`, `${dir}Bandwidth`, `${dir} peakrate must be greater than ${dir} bandwidth when specified`, bandwidth !== 0 && bandwidth < (q[`${dir}Peakrate`] ?? 0));
    requires(`${dir}Minburst`, `${dir}Peakrate`, `${dir} peakrate must be specified when ${dir} minburst is specified`);
    requires(`${dir}PacketBurst`, `${dir}PacketRate`, `${dir} packet rate must be specified when ${dir} packet burst is specified`);
  }
  for (const dir of ['ingress', 'egress'] as const) {
    if ((q[`${dir}Bandwidth`] ?? 0) !== 0 && (q[`${dir}Burst`] ?? 0) === 0) q[`${dir}Burst`] = DEFAULT_BURST;
    if ((q[`${dir}PacketRate`] ?? 0) !== 0 && (q[`${dir}PacketBurst`] ?? 0) === 0) q[`${dir}PacketBurst`] = DEFAULT_PACKET_BURST;
  }
  const out: QoSControls = {};
  for (const [, control] of ANNOTATIONS) {
    const v = q[control];
    if (v !== undefined && v !== 0) out[control] = v;
  }
  const dscpText = annotations[QOS_DSCP_ANNOTATION];
  if (dscpText !== undefined) {
    const dscp = parseDSCP(dscpText);
    if (dscp === undefined) problems.push(`${QOS_DSCP_ANNOTATION}: not a DSCP value`);
    else out.dscp = dscp;
  }
  return { qosControls: Object.keys(out).length > 0 ? out : undefined, problems };
}
