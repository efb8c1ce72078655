export { createEdge, type Edge, type EdgeOptions } from './edge.ts';
export { resolveConfig, parseConfig, ConfigError, CONFIG_KEYS, envName, type EdgeConfig, type EdgeConfigInput } from './config.ts';
export { UPLOADS_REPO } from './repos/repositories.ts';
