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
    expect(() => resolveConfig({ env: {}, flags: { port: '70000' } })).toThrowError(/--port must be a whole number from 0 to 65535/);
    expect(() => resolveConfig({ env: { EDGEPROOF_ANONYMOUS_ACCESS: 'maybe' } })).toThrowError(/EDGEPROOF_ANONYMOUS_ACCESS must be true or false/);
    expect(() => resolveConfig({ env: {}, flags: { adminPassword: 'short' } })).toThrowError(/--admin-password must be at least 8 characters/);
    const notJson = await configFile('{not json');
    const notObject = await configFile([1]);
    expect(() => resolveConfig({ file: notJson, env: {} })).toThrowError(ConfigError);
    expect(() => resolveConfig({ file: notObject, env: {} })).toThrowError(/JSON object/);
    expect(() => resolveConfig({ file: '/nonexistent/edge.json', env: {} })).toThrowError(/Cannot read/);
  });

  it('EDGE-OPS-6: every refusal names the value as it was given and what is accepted', async () => {
    const refusal = (sources: Parameters<typeof resolveConfig>[0]) => {
      try {
        resolveConfig(sources);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${JSON.stringify(sources)}`);
    };
    expect(refusal({ env: {}, flags: { anonymousAccess: 'maybe' } })).toBe(
      'Invalid configuration: --anonymous-access must be true or false (also 1/0, yes/no)',
    );
    expect(refusal({ env: {}, flags: { logLevel: 'loud' } })).toBe(
      'Invalid configuration: --log-level must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(refusal({ env: { EDGEPROOF_PORT: 'http' } })).toBe('Invalid configuration: EDGEPROOF_PORT must be a whole number from 0 to 65535');
    expect(refusal({ env: {}, flags: { baseUrl: 'ftp://edge.example' } })).toBe('Invalid configuration: --base-url must be an absolute http or https URL');
    expect(refusal({ env: {}, flags: { loginSuspendMaxSecs: '0' } })).toBe(
      'Invalid configuration: --login-suspend-max-secs must be a whole number from 1 to 600',
    );
    const file = await configFile({ anonymousAccess: 'maybe' });
    expect(refusal({ file, env: {} })).toBe(`Invalid configuration: 'anonymousAccess' in ${file} must be true or false (also 1/0, yes/no)`);
    // A flag given later wins, and is the one named.
    expect(refusal({ file, env: {}, flags: { anonymousAccess: 'perhaps' } })).toMatch(/^Invalid configuration: --anonymous-access /);
  });

  it('EDGE-OPS-6: numbers are digits: an empty port is not port 0, 1e3 is not 1000', () => {
    for (const port of ['', ' ', '1e3', '0x50', '80.5'])
      expect(() => resolveConfig({ env: {}, flags: { port } }), JSON.stringify(port)).toThrowError(/--port must be a whole number/);
    expect(resolveConfig({ env: {}, flags: { port: ' 8083 ' } }).port).toBe(8083);
    expect(resolveConfig({ file: undefined, env: {}, flags: { port: 0 } }).port).toBe(0);
  });

  it('EDGE-OPS-6: a refused password is not repeated', () => {
    expect(() => resolveConfig({ env: {}, flags: { adminPassword: 'sEcr3t' } })).toThrowError(/^(?!.*sEcr3t)/);
  });

  it('is frozen', () => {
    const config = resolveConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
  });
});
