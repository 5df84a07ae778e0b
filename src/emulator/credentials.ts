/**
 * The access keys the emulator knows: the management account's long-lived key, and the temporary keys
 * STS hands out. A key decides which account (and identity) a request runs as.
 */
import { userAccessKey } from './cloudtrail-records.js';
import type { Principal } from './http-types.js';
import { Rng } from './prng.js';
import type { SyntheticOrg } from './org-types.js';

export interface StoredCredentials extends Principal {
  secretAccessKey: string;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export class CredentialStore {
  private readonly keys = new Map<string, StoredCredentials>();
  private readonly rng: Rng;
  readonly management: StoredCredentials;

  constructor(org: SyntheticOrg) {
    this.rng = new Rng(org.seed).fork('credentials');
    const accountId = org.organization.managementAccountId;
    // The same key the event history shows for this user, so the trail and the live calls agree.
    const accessKeyId = userAccessKey({
      type: 'IAMUser',
      accountId,
      arn: org.caller.arn,
      uniqueId: org.caller.userId,
      name: org.caller.userName,
      sessionNames: [],
      userAgent: '',
      sourceIps: [],
    });
    this.management = {
      accessKeyId,
      secretAccessKey: this.rng.chars(SECRET_ALPHABET, 40),
      accountId,
      arn: org.caller.arn,
      userId: org.caller.userId,
      type: 'IAMUser',
    };
    this.keys.set(accessKeyId, this.management);
  }

  get(accessKeyId: string): StoredCredentials | undefined {
    return this.keys.get(accessKeyId);
  }

  issueSession(role: { accountId: string; arn: string; name: string; roleId: string }, sessionName: string, durationSeconds: number, now: Date): StoredCredentials {
    const accessKeyId = 'ASIA' + this.rng.chars(KEY_ALPHABET, 16);
    const session: StoredCredentials = {
      accessKeyId,
      secretAccessKey: this.rng.chars(SECRET_ALPHABET, 40),
      sessionToken: 'IQoJb3JpZ2luX2VjE' + this.rng.chars(SECRET_ALPHABET, 300),
      expiration: new Date(now.getTime() + durationSeconds * 1000),
      accountId: role.accountId,
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
      userId: `${role.roleId}:${sessionName}`,
      type: 'AssumedRole',
      roleArn: role.arn,
    };
    this.keys.set(accessKeyId, session);
    return session;
  }
}
