/**
 * Renders a template for one channel and locale: picks the locale (exact,
 * then language, then the fallback), builds the variables from validated
 * data, renders each part with the escaping its output needs, and frames
 * mails in the shared layout.
 */

import { DEFAULT_MESSAGE_LOCALE, type MessageLocale } from "../../platform/message-locales.ts";
import type { LocaleBundle } from "./bundle.ts";
import type { Channel, TemplateId } from "./catalog.ts";
import { templateDef } from "./catalog.ts";
import { de } from "./de.ts";
import { en } from "./en.ts";
import { escapeHtml, escapeLine, escapeText, render, TemplateError, type Vars } from "./engine.ts";
import { storefrontLinks } from "./format.ts";

export const FALLBACK_LOCALE = DEFAULT_MESSAGE_LOCALE;
// One bundle for every language the platform records for guests (typed by that list, so neither can miss one).
const BY_LOCALE: Record<MessageLocale, LocaleBundle> = { en, de };
const BUNDLES: Record<string, LocaleBundle> = BY_LOCALE;
export const LOCALES = Object.keys(BUNDLES);

/** `de-AT` → `de`; anything unknown → the fallback locale. */
export function resolveLocale(requested: string | null | undefined): string {
  const tag = (requested ?? "").trim().toLowerCase().replace("_", "-");
  if (BUNDLES[tag]) return tag;
  const language = tag.split("-")[0]!;
  return BUNDLES[language] ? language : FALLBACK_LOCALE;
}

export type Rendered =
  | { channel: "email"; subject: string; html: string; text: string }
  | { channel: "sms"; body: string }
  | { channel: "push"; title: string; body: string; url: string };

export interface RenderContext {
  locale: string | null | undefined;
  name: string;
  storefrontUrl: string;
}

const MAX_SUBJECT = 200;
const MAX_SMS = 640;
const MAX_PUSH_BODY = 240;
const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);

/** Renders `templateId` for `channel`; `data` must already satisfy the template's schema. Returns the locale used too. */
export function renderMessage(
  templateId: TemplateId,
  channel: Channel,
  data: unknown,
  ctx: RenderContext,
): { locale: string; rendered: Rendered } {
  const def = templateDef(templateId);
  if (!def.channels.includes(channel)) throw new TemplateError(`template ${templateId} has no ${channel} form`);
  let bundle = BUNDLES[resolveLocale(ctx.locale)]!;
  if (!bundle.templates[templateId]) bundle = BUNDLES[FALLBACK_LOCALE]!;
  const texts = bundle.templates[templateId]!;
  const links = storefrontLinks(ctx.storefrontUrl);
  const vars: Vars = def.vars(data, { locale: bundle.locale, links, name: ctx.name, labels: bundle.labels });
  const frame = { name: ctx.name, preferencesUrl: links.preferences };

  if (channel === "email") {
    const subject = clip(render(texts.subject, vars, escapeLine), MAX_SUBJECT);
    const greetingHtml = render(bundle.greeting, frame, escapeHtml);
    const body = render(texts.html, vars, escapeHtml);
    const html =
      `<!doctype html><html lang="${bundle.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subject)}</title></head>` +
      `<body style="margin:0;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;color:#18181b;line-height:1.5">` +
      `<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">` +
      `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px"><tr><td style="padding:32px">` +
      `<p>${greetingHtml}</p>${body}</td></tr>` +
      `<tr><td style="padding:16px 32px;font-size:12px;color:#71717a">${escapeHtml(bundle.footer)} <a href="${escapeHtml(links.preferences)}" style="color:#71717a">${escapeHtml(bundle.preferencesLabel)}</a></td></tr>` +
      `</table></td></tr></table></body></html>`;
    const text = `${render(bundle.greeting, frame, escapeText)}\n\n${render(texts.text, vars, escapeText).trim()}\n\n-- \n${bundle.footer}\n${bundle.preferencesLabel}: ${links.preferences}\n`;
    return { locale: bundle.locale, rendered: { channel, subject, html, text } };
  }
  if (channel === "sms") {
    if (!texts.sms) throw new TemplateError(`template ${templateId} has no SMS text in ${bundle.locale}`);
    return { locale: bundle.locale, rendered: { channel, body: clip(render(texts.sms, vars, escapeText).trim(), MAX_SMS) } };
  }
  if (!texts.push) throw new TemplateError(`template ${templateId} has no push text in ${bundle.locale}`);
  const url =
    ["orderUrl", "url", "securityUrl", "returnsUrl", "shopUrl"].map((k) => vars[k]).find((v): v is string => typeof v === "string") ??
    links.home;
  return {
    locale: bundle.locale,
    rendered: {
      channel,
      title: clip(render(texts.push.title, vars, escapeLine), 100),
      body: clip(render(texts.push.body, vars, escapeText), MAX_PUSH_BODY),
      url,
    },
  };
}
