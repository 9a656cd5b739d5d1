/**
 * calico-datastore: read, write and watch Calico configuration from TypeScript.
 *
 * @packageDocumentation
 */
export {
  CalicoError,
  ValidationError,
  NotFoundError,
  AlreadyExistsError,
  ConflictError,
  NotSupportedError,
  UnavailableError,
  SelectorParseError,
  ExpiredError,
  ParseError,
  UnauthorizedError,
  formatIdentifier,
  ignoreNotFound,
  isCalicoError,
  isValidationError,
  isNotFound,
  isAlreadyExists,
  isConflict,
  isNotSupported,
  isUnavailable,
  isSelectorParseError,
  isExpired,
  isParseError,
  isUnauthorized,
} from './errors.js';
export type { CalicoErrorCode, CalicoErrorOptions, ConflictReason, FieldError, FieldErrorType, ResourceIdentifier } from './errors.js';
export { CALICO_API_VERSION, KINDS, IPPOOL, NODE, WORKLOAD_ENDPOINT, NETWORK_POLICY, GLOBAL_NETWORK_POLICY, TIER, isCalicoKind } from './model/kinds.js';
export type { CalicoKind, KindDescriptor } from './model/kinds.js';
