/**
 * The provider chain of each channel, from NOTIFICATION_PROVIDERS: the
 * primary first, then the failover providers. A channel without configured
 * providers uses the capture provider.
 */
import type { Database } from "../platform/db.ts";
import type { Runtime } from "../platform/runtime.ts";
import { notificationsConfig } from "./config.ts";
import { captureProvider } from "./providers/capture.ts";
import type { CaptureConfig } from "./providers/config-schema.ts";
import { resendProvider } from "./providers/resend.ts";
import { sendgridProvider } from "./providers/sendgrid.ts";
import { twilioProvider } from "./providers/twilio.ts";
import type { Provider } from "./providers/types.ts";
import { webPushProvider } from "./providers/web-push.ts";
import type { Channel } from "./templates/catalog.ts";

export type ProviderChains = { [C in Channel]: Provider<C>[] };

const DEFAULT_CAPTURE: CaptureConfig[] = [{ kind: "capture", name: "capture" }];

/** `db` is where the capture provider stores messages (outside any consumer transaction). */
export function providerChains(rt: Pick<Runtime, "vars">, db: Database): ProviderChains {
  const config = notificationsConfig.read(rt).NOTIFICATION_PROVIDERS ?? {};
  return {
    email: (config.email ?? DEFAULT_CAPTURE).map((p) =>
      p.kind === "resend" ? resendProvider(p) : p.kind === "sendgrid" ? sendgridProvider(p) : captureProvider("email", p.name, db, rt),
    ),
    sms: (config.sms ?? DEFAULT_CAPTURE).map((p) => (p.kind === "twilio" ? twilioProvider(p) : captureProvider("sms", p.name, db, rt))),
    push: (config.push ?? DEFAULT_CAPTURE).map((p) =>
      p.kind === "webpush" ? webPushProvider(p) : captureProvider("push", p.name, db, rt),
    ),
  };
}

/** The VAPID public key browsers subscribe with, if web push is configured. */
export function vapidPublicKey(rt: Pick<Runtime, "vars">): string | null {
  const push = notificationsConfig.read(rt).NOTIFICATION_PROVIDERS?.push ?? [];
  for (const p of push) if (p.kind === "webpush") return p.vapidPublicKey;
  return null;
}
