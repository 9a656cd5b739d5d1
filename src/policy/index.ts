/**
 * Policy verdicts: is a flow allowed, and which tier, policy and rule decides it.
 *
 * @module
 */
export { createPolicyView, PolicyView } from './view.js';
export type { ViewItem, ViewPolicy, ViewProfile, ViewTier, ItemKind } from './view.js';
export { explainFlow } from './explain.js';
export type { Flow, FlowPeer, FlowExplanation, ChainStep, TierStep, PolicyStep, Verdict } from './explain.js';
export { comparePolicies, compareTiers, policySortKey } from './order.js';
export type { Ordered, OrderedPolicy } from './order.js';
export type { AnyResource, HostEndpointInput, NetworkSetInput, ProfileInput, KubeIdentityInput, StagedPolicyInput } from './view-types.js';
