/**
 * Token subjects name a user as `<service id>/users/<name>` (jfrog-compat.md §5), e.g.
 * `jfrt@01c3gffhg2e8w6149e3a2q0w97/users/admin` or `jffe@000/users/tempuser`.
 */
const USER_SUBJECT = /^[^/]+\/users\/([^/]+)$/;

export function userSubject(serviceId: string, user: string): string {
  return `${serviceId}/users/${user}`;
}

/** The user a subject names, or undefined when it names something else (a service, a repo). */
export function subjectUser(subject: string): string | undefined {
  return USER_SUBJECT.exec(subject)?.[1];
}
