/**
 * Timestamps as Calico writes them (Kubernetes `metav1.Time`): RFC 3339 in UTC, whole seconds,
 * for example `2024-05-01T12:00:00Z`.
 *
 * @module
 */

/**
 * Formats a time as Calico writes `creationTimestamp`.
 *
 * ## Example
 * ```ts
 * formatTimestamp(new Date('2024-05-01T12:00:00.123Z')); // '2024-05-01T12:00:00Z'
 * ```
 * @param time The time; now when omitted.
 * @return The RFC 3339 text, fractional seconds dropped.
 */
export function formatTimestamp(time: Date = new Date()): string {
  return time.toISOString().replace(/\.\d+Z$/, 'Z');
}
