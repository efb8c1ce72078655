import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envName, resolveConfig } from './config.ts';

async function configFile(content: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-config-'));
  const file = join(dir, 'edge.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('config resolution', () => {
  it('has the documented defaults', () => {
    const config = resolveConfig({ env: {} });
    expect(config).toMatchObject({ port: 8082, host: '127.0.0.1', anonymousAccess: false, maxJsonBytes: 1024 * 1024, logLevel: 'info' });
    expect(config.dataDir).toBe(resolve('./edgeproof-data'));
  });

  it('layers file < environment < flags', async () => {
    const file = await configFile({ port: 9001, host: '0.0.0.0', logLevel: 'warn' });
    const config = resolveConfig({ file, env: { EDGEPROOF_PORT: '9002', EDGEPROOF_LOG_LEVEL: 'error' }, flags: { port: '9003' } });
    expect(config.port).toBe(9003);
    expect(config.logLevel).toBe('error');
    expect(config.host).toBe('0.0.0.0');
  });

  it('reads the file named by EDGEPROOF_CONFIG', async () => {
    const file = await configFile({ anonymousAccess: true });
    expect(resolveConfig({ env: { EDGEPROOF_CONFIG: file } }).anonymousAccess).toBe(true);
  });

  it('maps camelCase keys to EDGEPROOF_ names', () => {
    expect(envName('maxUploadBytes')).toBe('EDGEPROOF_MAX_UPLOAD_BYTES');
    expect(resolveConfig({ env: { EDGEPROOF_MAX_UPLOAD_BYTES: '123', EDGEPROOF_ANONYMOUS_ACCESS: 'yes' } })).toMatchObject({
      maxUploadBytes: 123,
      anonymousAccess: true,
    });
  });

  it('rejects unknown keys in the file, naming them', async () => {
    const file = await configFile({ port: 1, prot: 2 });
    expect(() => resolveConfig({ file, env: {} })).toThrowError(/unknown key\(s\) 'prot'/);
  });

  it('rejects unknown EDGEPROOF_ variables, naming them', () => {
    expect(() => resolveConfig({ env: { EDGEPROOF_PROT: '1' } })).toThrowError(/EDGEPROOF_PROT/);
  });

  it('rejects invalid values with the key and the reason', async () => {
    expect(() => resolveConfig({ env: {}, flags: { port: '70000' } })).toThrowError(/'port'/);
    expect(() => resolveConfig({ env: { EDGEPROOF_ANONYMOUS_ACCESS: 'maybe' } })).toThrowError(/'anonymousAccess'/);
    expect(() => resolveConfig({ env: {}, flags: { adminPassword: 'short' } })).toThrowError(/'adminPassword'/);
    const notJson = await configFile('{not json');
    const notObject = await configFile([1]);
    expect(() => resolveConfig({ file: notJson, env: {} })).toThrowError(ConfigError);
    expect(() => resolveConfig({ file: notObject, env: {} })).toThrowError(/JSON object/);
    expect(() => resolveConfig({ file: '/nonexistent/edge.json', env: {} })).toThrowError(/Cannot read/);
  });

  it('is frozen', () => {
    const config = resolveConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
  });
});
