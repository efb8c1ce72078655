import { describe, expect, it } from 'vitest';
import { samplePayload } from '../bundle/__fixtures__/payloads.ts';
import { ReleaseBundle, releaseBundleJson } from './edp.ts';

describe('releaseBundleJson (EDP-PUB-7)', () => {
  it('has exactly the members EDP-PUB-7 lists, in JFrog order, with props always present', () => {
    const view = releaseBundleJson(samplePayload());
    expect(Object.keys(view)).toEqual(['name', 'version', 'description', 'release_notes', 'created', 'artifacts']);
    expect(view.artifacts.map((a) => Object.keys(a))).toEqual([
      ['repo_path', 'checksum', 'props'],
      ['repo_path', 'checksum', 'props'],
    ]);
    expect(view.artifacts[1]?.props).toEqual([]);
    expect(ReleaseBundle.parse(view)).toEqual(view);
  });

  it('leaves out absent optional members instead of showing them as null', () => {
    const { description: _d, release_notes: _r, ...bare } = samplePayload();
    expect(Object.keys(releaseBundleJson(bare))).toEqual(['name', 'version', 'created', 'artifacts']);
  });

  it('passes no member through unnamed (EDP-SIG-22), even when the input object carries extras', () => {
    const payload = samplePayload() as ReturnType<typeof samplePayload> & Record<string, unknown>;
    payload.download_token = 'secret';
    Object.assign(payload.artifacts[0] as object, { download_token: 'secret' });
    Object.assign(payload.release_notes as object, { rendered: 'secret' });
    expect(JSON.stringify(releaseBundleJson(payload))).not.toContain('secret');
  });
});
