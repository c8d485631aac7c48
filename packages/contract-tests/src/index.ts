export {
  ContractChecker,
  type Finding,
  findingKey,
  forbidUndocumentedProperties,
  type OpenApiDocument,
} from "./check.js";
export {
  type Har,
  type HarEntry,
  type HarHeader,
  headerValue,
  loadRecordings,
  type Provenance,
  RECORDINGS_DIR,
  type Recording,
} from "./har.js";
export { type RecordOptions, record, redactBody } from "./recorder.js";
export { findSecrets, type SecretFinding } from "./secrets.js";
