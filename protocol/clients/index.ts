export { AccessClient } from './access.ts';
export { ArtifactoryClient } from './artifactory.ts';
export { EdpClient, type FileAnswer } from './edp.ts';
export {
  ApiError,
  describeCause,
  ClientError,
  NoAnswerError,
  UnexpectedAnswerError,
  type Body,
  type CallSite,
  type CallOptions,
  type ClientOptions,
  type Credentials,
  type Fetch,
} from './transport.ts';
