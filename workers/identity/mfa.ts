/**
 * TOTP second factor: enrolment (a pending secret until the first good
 * code), verification with replay protection (a code is good once: the last
 * accepted step is stored and only later steps pass), single-use recovery
 * codes, and removal. Secrets are encrypted at rest (secret-box.ts).
 */
import { and, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { mfaFactors, recoveryCodes } from "../../db/schema/auth.ts";
import { MfaDisabled, MfaEnabled } from "../../queues/contracts/events/auth.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { Queryable } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import type { Runtime } from "../platform/runtime.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { identityConfig } from "./config.ts";
import { base32Encode, sha256Hex } from "./crypto.ts";
import { IdentityErrors } from "./errors.ts";
import { open, seal } from "./secret-box.ts";
import { matchStep, newSecret, otpauthUri } from "./totp.ts";

export const RECOVERY_CODE_COUNT = 10;

export interface SecondFactor {
  code?: string;
  recoveryCode?: string;
}

export const invalidSecondFactor = () =>
  new ApiError(IdentityErrors.INVALID_MFA_CODE, "The code is not valid (wrong, expired or already used)");

export async function mfaStatus(db: Queryable, userId: string) {
  const [factor] = await db.select({ confirmedAt: mfaFactors.confirmedAt }).from(mfaFactors).where(eq(mfaFactors.userId, userId));
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return {
    enabled: !!factor?.confirmedAt,
    pending: !!factor && !factor.confirmedAt,
    enabledAt: factor?.confirmedAt?.toISOString() ?? null,
    recoveryCodesRemaining: factor?.confirmedAt ? n : 0,
  };
}

export async function isMfaEnabled(db: Queryable, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: mfaFactors.userId })
    .from(mfaFactors)
    .where(and(eq(mfaFactors.userId, userId), isNotNull(mfaFactors.confirmedAt)));
  return !!row;
}

/** Starts (or restarts) enrolment: a new secret, pending until confirmed with a code from it. */
export async function beginEnrolment(scope: Scope, userId: string, accountLabel: string): Promise<{ secret: string; otpauthUri: string }> {
  const secret = newSecret();
  const sealed = await seal(scope.rt, secret, userId);
  const replaced = await scope.db
    .insert(mfaFactors)
    .values({ userId, secret: sealed })
    .onConflictDoUpdate({
      target: mfaFactors.userId,
      set: { secret: sealed, createdAt: sql`now()`, lastUsedStep: 0 },
      setWhere: isNull(mfaFactors.confirmedAt),
    })
    .returning({ userId: mfaFactors.userId });
  if (replaced.length === 0)
    throw new ApiError(
      IdentityErrors.MFA_ALREADY_ENABLED,
      "Two-factor authentication is already on; disable it first to enrol a new authenticator",
    );
  return { secret: base32Encode(secret), otpauthUri: otpauthUri(secret, identityConfig.read(scope.rt).JWT_ISSUER, accountLabel) };
}

function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z2-7]/g, "");
}

async function replaceRecoveryCodes(tx: Queryable, userId: string): Promise<string[]> {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = base32Encode(crypto.getRandomValues(new Uint8Array(10))).toLowerCase();
    return raw.match(/.{4}/g)!.join("-");
  });
  const rows = await Promise.all(codes.map(async (code) => ({ userId, codeHash: await sha256Hex(normalizeRecoveryCode(code)) })));
  await tx.insert(recoveryCodes).values(rows);
  return codes;
}

/** Accepts a TOTP code newer than the last one used, under a lock on the factor so a code cannot be used twice. */
async function acceptTotp(
  tx: Queryable,
  rt: Pick<Runtime, "vars">,
  userId: string,
  code: string,
  requireConfirmed: boolean,
): Promise<boolean> {
  const [factor] = await tx.select().from(mfaFactors).where(eq(mfaFactors.userId, userId)).for("update");
  if (!factor || (requireConfirmed && !factor.confirmedAt)) return false;
  const secret = await open(rt, factor.secret, userId);
  const step = await matchStep(secret, code, Date.now(), factor.lastUsedStep);
  if (step === null) return false;
  await tx.update(mfaFactors).set({ lastUsedStep: step }).where(eq(mfaFactors.userId, userId));
  return true;
}

async function acceptRecoveryCode(tx: Queryable, userId: string, code: string): Promise<boolean> {
  const used = await tx
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, await sha256Hex(normalizeRecoveryCode(code))),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ userId: recoveryCodes.userId });
  return used.length > 0;
}

/** Checks a second factor of an enabled factor, in the caller's transaction; uses it up. */
export async function acceptSecondFactor(tx: Queryable, rt: Pick<Runtime, "vars">, userId: string, proof: SecondFactor): Promise<boolean> {
  if (proof.code) return acceptTotp(tx, rt, userId, proof.code, true);
  if (proof.recoveryCode) return (await isMfaEnabled(tx, userId)) && acceptRecoveryCode(tx, userId, proof.recoveryCode);
  return false;
}

/** Confirms enrolment with a first code; returns the recovery codes, shown once. */
export async function confirmEnrolment(scope: Scope, userId: string, code: string): Promise<string[] | null> {
  return transactionWithEvents(
    scope.db,
    async (tx, events) => {
      const [factor] = await tx.select({ confirmedAt: mfaFactors.confirmedAt }).from(mfaFactors).where(eq(mfaFactors.userId, userId));
      if (!factor) throw new ApiError(IdentityErrors.MFA_NOT_ENROLLING, "Start enrolment first");
      if (factor.confirmedAt) throw new ApiError(IdentityErrors.MFA_ALREADY_ENABLED, "Two-factor authentication is already on");
      if (!(await acceptTotp(tx, scope.rt, userId, code, false))) return null;
      await tx.update(mfaFactors).set({ confirmedAt: sql`now()` }).where(eq(mfaFactors.userId, userId));
      const codes = await replaceRecoveryCodes(tx, userId);
      await events.emit(MfaEnabled, eventFrom(scope, "auth", userId, { userId, factor: "totp" }));
      return codes;
    },
    scope.afterCommit,
  );
}

/** Turns the second factor off, given a fresh code or a recovery code. Returns false if the proof is wrong. */
export async function disableMfa(scope: Scope, userId: string, proof: SecondFactor): Promise<boolean> {
  return transactionWithEvents(
    scope.db,
    async (tx, events) => {
      if (!(await isMfaEnabled(tx, userId))) throw new ApiError(IdentityErrors.MFA_NOT_ENABLED, "Two-factor authentication is not on");
      if (!(await acceptSecondFactor(tx, scope.rt, userId, proof))) return false;
      await tx.delete(mfaFactors).where(eq(mfaFactors.userId, userId));
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await events.emit(MfaDisabled, eventFrom(scope, "auth", userId, { userId, factor: "totp" }));
      return true;
    },
    scope.afterCommit,
  );
}

/** New recovery codes (the old ones stop working), given a fresh code. */
export async function regenerateRecoveryCodes(scope: Scope, userId: string, proof: SecondFactor): Promise<string[] | null> {
  return scope.db.transaction(async (tx) => {
    if (!(await isMfaEnabled(tx, userId))) throw new ApiError(IdentityErrors.MFA_NOT_ENABLED, "Two-factor authentication is not on");
    if (!(await acceptSecondFactor(tx, scope.rt, userId, proof))) return null;
    return replaceRecoveryCodes(tx, userId);
  });
}
