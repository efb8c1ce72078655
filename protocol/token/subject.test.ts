import { describe, expect, it } from 'vitest';
import { subjectUser, userSubject } from './subject.ts';

describe('token subjects', () => {
  it('name a user as <service id>/users/<name>', () => {
    expect(userSubject('jfrt@01abc', 'alice')).toBe('jfrt@01abc/users/alice');
    expect(subjectUser('jfrt@01c3gffhg2e8w6149e3a2q0w97/users/admin')).toBe('admin');
    expect(subjectUser('jffe@000/users/tempuser')).toBe('tempuser');
  });

  it('name no user otherwise', () => {
    for (const sub of ['yahav/test-repo', 'jfrt@01abc', 'jfrt@01abc/users/', 'jfrt@01abc/users/a/b', '/users/alice']) {
      expect(subjectUser(sub), sub).toBeUndefined();
    }
  });
});
