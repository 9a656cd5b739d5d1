/**
 * The client behaviour of WorkloadEndpoints: the name is computed from the spec, and identifying
 * fields cannot change on update.
 *
 * @module
 */
import { WORKLOAD_ENDPOINT } from '../model/kinds.js';
import { checkWorkloadEndpointUpdate } from '../model/workload-endpoint.js';
import type { WorkloadEndpoint } from '../model/types.generated.js';
import type { KindBehaviour } from './kind-behaviour.js';

/** WorkloadEndpoint: the name is computed from the spec when empty. */
export const workloadEndpointBehaviour: KindBehaviour<WorkloadEndpoint> = {
  descriptor: WORKLOAD_ENDPOINT,
  nameComputed: true,
  async checkUpdate(next, stored) {
    return checkWorkloadEndpointUpdate(next, stored);
  },
};
