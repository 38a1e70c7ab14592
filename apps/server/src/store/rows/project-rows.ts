/**
 * Projects, their keys, identity secrets and archived policies, as the store holds them.
 */
export type KeyKind = 'write' | 'analyst' | 'admin' | 'backend';

/**
 * How a project treats subjects whose proof is missing or wrong (issue "Authenticated
 * subjects"): `enforce` refuses them (new projects), `report` accepts and counts them (projects
 * from before identity verification, while their integration moves to signed identities),
 * `off` neither checks nor counts (only by an operator's explicit choice).
 */
export type IdentityMode = 'enforce' | 'report' | 'off';

export const IDENTITY_MODES = ['enforce', 'report', 'off'] as const satisfies readonly IdentityMode[];

export interface ProjectRow {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly identityMode: IdentityMode;
  /** The project's own policy (`PolicyVersionRow.hash`); null: the server's policy applies. */
  readonly policyHash: string | null;
}

/** A policy document as archived: its text, by the SHA-256 every ledger entry made under it records. */
export interface PolicyVersionRow {
  readonly hash: string;
  /** '' for the server's own policy. */
  readonly projectId: string;
  readonly version: string;
  readonly document: string;
  readonly archivedAt: number;
}

export interface KeyRow {
  readonly id: string;
  readonly projectId: string;
  readonly kind: KeyKind;
  readonly label: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/**
 * A project's identity secret as stored: not the secret. The secret is an HMAC of the salt
 * under the identity master key, which lives apart from the database (identity/secrets.ts).
 */
export interface IdentitySecretRow {
  readonly id: string;
  readonly projectId: string;
  readonly salt: string;
  /** Which identity master key derives it. */
  readonly masterKeyId: string;
  readonly createdAt: number;
  /** End of a rotation's overlap: assertions signed with it are refused from then on. */
  readonly expiresAt: number | null;
}
