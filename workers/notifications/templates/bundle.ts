/** What one locale provides: the texts of every template, labels, and the mail frame's strings. */
import type { Labels, LocalizedTemplate, TemplateId } from "./catalog.ts";

export interface LocaleBundle {
  locale: string;
  /** The first line of every mail; `{{name}}` is the recipient's name, possibly empty. */
  greeting: string;
  footer: string;
  preferencesLabel: string;
  labels: Labels;
  /** A locale may leave templates out; they then fall back to the fallback locale's text. */
  templates: Partial<Record<TemplateId, LocalizedTemplate>>;
}
