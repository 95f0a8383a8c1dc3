import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../crypto/secret-box.js';
import { upsertOrganization } from '../organizations/organizations.repository.js';
import {
  findInstallationByKey,
  insertInstallation,
  installKey,
  markInstallationRevoked,
  updateInstallation,
  type InstallationRow,
} from '../installations/installations.repository.js';
import { setMemberRole } from '../roles/members.repository.js';
import type { Database } from '../storage/schema.js';

export class InstallationNotFoundError extends Error {
  override name = 'InstallationNotFoundError';
}

/** The organization an installation belongs to: the org for Enterprise Grid org installs, else the workspace. */
export function organizationIdOf(q: { isEnterpriseInstall?: boolean; enterpriseId?: string | undefined; teamId?: string | undefined }): string {
  const id = q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
  if (!id) throw new InstallationNotFoundError('installation query names no team or enterprise');
  return id;
}

/** Installations on our database, tokens sealed. Revoked installations are not found. */
export function createInstallationStore(db: Kysely<Database>, box: SecretBox): InstallationStore {
  const seal = (v: string | undefined) => (v ? box.seal(v) : null);
  const open = (v: string | null) => (v ? box.open(v) : undefined);
  const secondsToMs = (s: number | undefined) => (s ? s * 1000 : null);

  return {
    async storeInstallation(installation) {
      const isEnterprise = installation.isEnterpriseInstall === true;
      const enterpriseId = installation.enterprise?.id ?? null;
      const teamId = isEnterprise ? null : (installation.team?.id ?? null);
      const orgId = organizationIdOf({ isEnterpriseInstall: isEnterprise, enterpriseId: enterpriseId ?? undefined, teamId: teamId ?? undefined });
      const key = installKey(enterpriseId, teamId);
      const now = Date.now();
      await db.transaction().execute(async (trx) => {
        const name = (isEnterprise ? installation.enterprise?.name : installation.team?.name) ?? orgId;
        await upsertOrganization(trx, { id: orgId, name, enterpriseId });
        const existing = await findInstallationByKey(trx, key);
        const tokens = {
          organization_id: orgId,
          team_id: teamId,
          enterprise_id: enterpriseId,
          is_enterprise_install: isEnterprise ? 1 : 0,
          app_id: installation.appId ?? null,
          bot_user_id: installation.bot?.userId ?? null,
          bot_id: installation.bot?.id ?? null,
          bot_token_sealed: seal(installation.bot?.token),
          bot_refresh_token_sealed: seal(installation.bot?.refreshToken),
          bot_token_expires_at: secondsToMs(installation.bot?.expiresAt),
          bot_scopes: installation.bot?.scopes.join(',') ?? null,
          installer_user_id: installation.user.id,
          user_token_sealed: seal(installation.user.token),
          user_refresh_token_sealed: seal(installation.user.refreshToken),
          user_token_expires_at: secondsToMs(installation.user.expiresAt),
          user_scopes: installation.user.scopes?.join(',') ?? null,
          token_type: installation.tokenType ?? null,
          updated_at: now,
          revoked_at: null,
        };
        if (existing) {
          await updateInstallation(trx, existing.id, tokens);
        } else {
          await insertInstallation(trx, { ...tokens, install_key: key, installed_at: now });
        }
        // A new install or a reinstall makes the installer an admin; a token rotation does not.
        if (!existing || existing.revoked_at !== null) {
          await setMemberRole(trx, { organizationId: orgId, userId: installation.user.id, role: 'admin', updatedBy: 'install' });
        }
      });
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const row = await findLive(db, query);
      return toInstallation(row, open);
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      const key = query.isEnterpriseInstall ? installKey(query.enterpriseId, null) : installKey(query.enterpriseId, query.teamId);
      await markInstallationRevoked(db, key, Date.now());
    },
  };
}

async function findLive(db: Kysely<Database>, query: InstallationQuery<boolean>): Promise<InstallationRow> {
  const candidates = query.isEnterpriseInstall
    ? [installKey(query.enterpriseId, null)]
    : [installKey(query.enterpriseId, query.teamId), ...(query.enterpriseId ? [installKey(query.enterpriseId, null)] : [])];
  for (const key of candidates) {
    const row = await findInstallationByKey(db, key);
    if (row && row.revoked_at === null) return row;
  }
  throw new InstallationNotFoundError(`no live installation for ${candidates.join(' or ')}`);
}

function toInstallation(row: InstallationRow, open: (v: string | null) => string | undefined): Installation<'v2', boolean> {
  const msToSeconds = (ms: number | null) => (ms ? Math.floor(ms / 1000) : undefined);
  const botToken = open(row.bot_token_sealed);
  return {
    team: row.team_id ? { id: row.team_id } : undefined,
    enterprise: row.enterprise_id ? { id: row.enterprise_id } : undefined,
    isEnterpriseInstall: row.is_enterprise_install === 1,
    appId: row.app_id ?? undefined,
    tokenType: 'bot',
    authVersion: 'v2',
    user: {
      id: row.installer_user_id ?? '',
      token: open(row.user_token_sealed),
      refreshToken: open(row.user_refresh_token_sealed),
      expiresAt: msToSeconds(row.user_token_expires_at),
      scopes: row.user_scopes ? row.user_scopes.split(',') : undefined,
    },
    bot: botToken
      ? {
          token: botToken,
          refreshToken: open(row.bot_refresh_token_sealed),
          expiresAt: msToSeconds(row.bot_token_expires_at),
          scopes: row.bot_scopes ? row.bot_scopes.split(',') : [],
          id: row.bot_id ?? '',
          userId: row.bot_user_id ?? '',
        }
      : undefined,
  };
}
