/** Who a request acts for, once its credentials have been checked. */
export type Principal =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'user';
      readonly name: string;
      readonly admin: boolean;
      readonly groups: readonly string[];
      /** How the identity was proven; tokens may narrow what a user may do. */
      readonly via: 'password' | 'token';
    };

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

export function principalName(principal: Principal): string {
  return principal.kind === 'user' ? principal.name : 'anonymous';
}

export function isAdmin(principal: Principal): boolean {
  return principal.kind === 'user' && principal.admin;
}
