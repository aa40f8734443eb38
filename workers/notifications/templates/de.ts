/** German texts of every template. */
import type { LocaleBundle } from "./bundle.ts";

const orderLink = `<p><a href="{{orderUrl}}" style="color:#2563eb">Bestellung {{orderNumber}} ansehen</a></p>`;

export const de: LocaleBundle = {
  locale: "de",
  greeting: "Hallo{{#name}} {{name}}{{/name}},",
  footer: "Sie erhalten diese Nachricht, weil Sie ein Konto bei Edge Commerce haben.",
  preferencesLabel: "Benachrichtigungseinstellungen",
  labels: {
    cancelReason: {
      customer_request: "auf Ihren Wunsch",
      payment_failed: "weil die Zahlung nicht durchging",
      out_of_stock: "weil ein Artikel nicht mehr verfügbar ist",
      fraud_suspected: "aus Sicherheitsgründen",
      expired: "weil sie nicht rechtzeitig bezahlt wurde",
      merchant: "durch unser Team",
      checkout_interrupted: "weil der Bestellvorgang nicht abgeschlossen werden konnte",
      fulfilment_failed: "weil wir sie nicht versenden konnten",
    },
    paymentReason: {
      card_declined: "Ihre Karte abgelehnt wurde",
      insufficient_funds: "die Deckung nicht ausreichte",
      expired_card: "Ihre Karte abgelaufen ist",
      authentication_required: "Ihre Bank eine zusätzliche Bestätigung verlangt",
      processing_error: "ein Verarbeitungsfehler auftrat",
      fraud_suspected: "unsere Betrugsprüfung angeschlagen hat",
    },
    refundReason: {
      order_cancelled: "Ihre Bestellung storniert wurde",
      return_received: "Ihre Rücksendung bei uns eingegangen ist",
      goodwill: "wir Ihnen entgegenkommen möchten",
      duplicate_charge: "Sie doppelt belastet wurden",
    },
    returnReason: {
      damaged: "beschädigter Artikel",
      wrong_item: "falscher Artikel",
      not_as_described: "entspricht nicht der Beschreibung",
      no_longer_needed: "nicht mehr benötigt",
      other: "sonstiges",
    },
    flagReason: {
      spam: "Spam",
      offensive: "anstößiger Inhalt",
      off_topic: "themenfremd",
      personal_data: "personenbezogene Daten",
      other: "sonstiges",
    },
    flaggedBy: { customer: "Kundenmeldungen", automatic: "die automatische Prüfung" },
  },
  templates: {
    welcome: {
      subject: "Willkommen bei Edge Commerce",
      html: `<p>Danke, dass Sie ein Konto angelegt haben. Sie können jetzt Ihre Bestellungen verfolgen, Adressen speichern und schneller bezahlen.</p><p><a href="{{shopUrl}}" style="color:#2563eb">Jetzt einkaufen</a></p>`,
      text: "Danke, dass Sie ein Konto angelegt haben. Sie können jetzt Ihre Bestellungen verfolgen, Adressen speichern und schneller bezahlen.\n\nJetzt einkaufen: {{shopUrl}}",
    },
    "email-verification": {
      subject: "Bitte bestätigen Sie Ihre E-Mail-Adresse",
      html: `<p>Bitte bestätigen Sie, dass dies Ihre E-Mail-Adresse ist.</p><p><a href="{{url}}" style="background:#2563eb;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">E-Mail-Adresse bestätigen</a></p><p>Der Link ist bis {{expires}} gültig. Wenn Sie kein Konto angelegt haben, können Sie diese Nachricht ignorieren.</p>`,
      text: "Bitte bestätigen Sie, dass dies Ihre E-Mail-Adresse ist:\n{{url}}\n\nDer Link ist bis {{expires}} gültig. Wenn Sie kein Konto angelegt haben, können Sie diese Nachricht ignorieren.",
    },
    "password-reset": {
      subject: "Passwort zurücksetzen",
      html: `<p>Jemand hat angefordert, das Passwort Ihres Kontos zurückzusetzen. Wenn Sie das waren, wählen Sie hier ein neues Passwort:</p><p><a href="{{url}}" style="background:#2563eb;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Neues Passwort wählen</a></p><p>Der Link ist bis {{expires}} gültig. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt unverändert.</p>`,
      text: "Jemand hat angefordert, das Passwort Ihres Kontos zurückzusetzen. Wenn Sie das waren, wählen Sie hier ein neues Passwort:\n{{url}}\n\nDer Link ist bis {{expires}} gültig. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt unverändert.",
    },
    "email-change": {
      subject: "Bitte bestätigen Sie Ihre neue E-Mail-Adresse",
      html: `<p>Sie möchten diese Adresse für Ihr Konto verwenden. Bitte bestätigen Sie sie:</p><p><a href="{{url}}" style="background:#2563eb;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Diese Adresse verwenden</a></p><p>Bis dahin behält Ihr Konto seine bisherige Adresse. Der Link ist bis {{expires}} gültig. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht.</p>`,
      text: "Sie möchten diese Adresse für Ihr Konto verwenden. Bitte bestätigen Sie sie:\n{{url}}\n\nBis dahin behält Ihr Konto seine bisherige Adresse. Der Link ist bis {{expires}} gültig. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht.",
    },
    "email-changed": {
      subject: "Die E-Mail-Adresse Ihres Kontos wurde geändert",
      html: `<p>Ihr Konto verwendet jetzt die Adresse {{newEmail}} und nicht mehr diese.</p><p>Waren Sie das nicht? Holen Sie sich Ihr Konto zurück: Der Link stellt diese Adresse wieder her und meldet alle Geräte ab. Wählen Sie danach ein neues Passwort.</p><p><a href="{{url}}" style="background:#dc2626;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Das war ich nicht</a></p><p>Der Link ist bis {{expires}} gültig.</p>`,
      text: "Ihr Konto verwendet jetzt die Adresse {{newEmail}} und nicht mehr diese.\n\nWaren Sie das nicht? Holen Sie sich Ihr Konto zurück: Dieser Link stellt diese Adresse wieder her und meldet alle Geräte ab. Wählen Sie danach ein neues Passwort.\n{{url}}\n\nDer Link ist bis {{expires}} gültig.",
    },
    "password-changed": {
      subject: "Ihr Passwort wurde geändert",
      html: `<p>Das Passwort Ihres Kontos wurde soeben {{#viaReset}}zurückgesetzt{{/viaReset}}{{^viaReset}}geändert{{/viaReset}}, und Sie wurden auf Ihren anderen Geräten abgemeldet.</p><p>Waren Sie das nicht? <a href="{{securityUrl}}" style="color:#2563eb">Sichern Sie Ihr Konto</a> und kontaktieren Sie uns.</p>`,
      text: "Das Passwort Ihres Kontos wurde soeben {{#viaReset}}zurückgesetzt{{/viaReset}}{{^viaReset}}geändert{{/viaReset}}, und Sie wurden auf Ihren anderen Geräten abgemeldet.\n\nWaren Sie das nicht? Sichern Sie Ihr Konto: {{securityUrl}}",
      push: { title: "Passwort geändert", body: "Das Passwort Ihres Kontos wurde geändert. Nicht Sie? Sichern Sie jetzt Ihr Konto." },
    },
    "order-created": {
      subject: "Wir haben Ihre Bestellung {{orderNumber}} erhalten",
      html: `<p>Vielen Dank für Ihre Bestellung. Wir prüfen die Zahlung und melden uns, sobald sie bestätigt ist.</p><table role="presentation" width="100%" cellpadding="4" style="border-collapse:collapse">{{#lines}}<tr><td>{{quantity}} × {{name}}</td><td align="right">{{price}}</td></tr>{{/lines}}<tr><td style="border-top:1px solid #e4e4e7"><strong>Summe</strong></td><td align="right" style="border-top:1px solid #e4e4e7"><strong>{{total}}</strong></td></tr></table>${orderLink}`,
      text: "Vielen Dank für Ihre Bestellung. Wir prüfen die Zahlung und melden uns, sobald sie bestätigt ist.\n\n{{#lines}}{{quantity}} × {{name}}: {{price}}\n{{/lines}}Summe: {{total}}\n\nBestellung {{orderNumber}} ansehen: {{orderUrl}}",
      push: { title: "Bestellung {{orderNumber}} erhalten", body: "Summe {{total}}. Wir bestätigen sie in Kürze." },
    },
    "order-confirmed": {
      subject: "Ihre Bestellung {{orderNumber}} ist bestätigt",
      html: `<p>Gute Nachricht: Ihre Zahlung ist eingegangen und Ihre Bestellung {{orderNumber}} ({{total}}) ist bestätigt. Wir melden uns, sobald sie versandt wird.</p><p>{{#invoiceNumber}}Ihre Rechnung {{invoiceNumber}} finden Sie im Anhang und hier: {{/invoiceNumber}}{{^invoiceNumber}}Ihre Rechnung: {{/invoiceNumber}}<a href="{{invoiceUrl}}">{{invoiceUrl}}</a></p>${orderLink}`,
      text: "Gute Nachricht: Ihre Zahlung ist eingegangen und Ihre Bestellung {{orderNumber}} ({{total}}) ist bestätigt. Wir melden uns, sobald sie versandt wird.\n\n{{#invoiceNumber}}Ihre Rechnung {{invoiceNumber}} finden Sie im Anhang und hier: {{/invoiceNumber}}{{^invoiceNumber}}Ihre Rechnung: {{/invoiceNumber}}{{invoiceUrl}}\nBestellung ansehen: {{orderUrl}}",
      sms: "Edge Commerce: Bestellung {{orderNumber}} ({{total}}) ist bestätigt. Details: {{orderUrl}}",
      push: { title: "Bestellung {{orderNumber}} bestätigt", body: "Ihre Zahlung über {{total}} ist eingegangen." },
    },
    "order-cancelled": {
      subject: "Ihre Bestellung {{orderNumber}} wurde storniert",
      html: `<p>Ihre Bestellung {{orderNumber}} wurde {{reason}} storniert.</p>{{#refund}}<p>Wir erstatten {{refund}} auf Ihr ursprüngliches Zahlungsmittel.</p>{{/refund}}${orderLink}`,
      text: "Ihre Bestellung {{orderNumber}} wurde {{reason}} storniert.\n{{#refund}}Wir erstatten {{refund}} auf Ihr ursprüngliches Zahlungsmittel.\n{{/refund}}\nBestellung ansehen: {{orderUrl}}",
      sms: "Edge Commerce: Bestellung {{orderNumber}} wurde {{reason}} storniert.{{#refund}} Erstattung: {{refund}}.{{/refund}}",
      push: { title: "Bestellung {{orderNumber}} storniert", body: "Ihre Bestellung wurde {{reason}} storniert." },
    },
    "payment-failed": {
      subject: "Zahlung für Bestellung {{orderNumber}} fehlgeschlagen",
      html: `<p>Wir konnten die Zahlung über {{amount}} für Ihre Bestellung {{orderNumber}} nicht einziehen, weil {{reason}}.</p>{{#retryable}}<p>Ihre Bestellung bleibt vorerst erhalten: Bitte versuchen Sie es mit einem anderen Zahlungsmittel erneut.</p>{{/retryable}}{{^retryable}}<p>Ihre Bestellung konnte nicht abgeschlossen werden.</p>{{/retryable}}${orderLink}`,
      text: "Wir konnten die Zahlung über {{amount}} für Ihre Bestellung {{orderNumber}} nicht einziehen, weil {{reason}}.\n{{#retryable}}Ihre Bestellung bleibt vorerst erhalten: Bitte versuchen Sie es mit einem anderen Zahlungsmittel erneut.\n{{/retryable}}{{^retryable}}Ihre Bestellung konnte nicht abgeschlossen werden.\n{{/retryable}}\nBestellung ansehen: {{orderUrl}}",
      sms: "Edge Commerce: Zahlung für Bestellung {{orderNumber}} fehlgeschlagen. {{#retryable}}Bitte erneut versuchen: {{orderUrl}}{{/retryable}}",
      push: { title: "Zahlung fehlgeschlagen", body: "Die Zahlung über {{amount}} für Bestellung {{orderNumber}} ist fehlgeschlagen." },
    },
    "refund-issued": {
      subject: "Erstattung über {{amount}} für Bestellung {{orderNumber}}",
      html: `<p>Wir haben {{amount}} erstattet, weil {{reason}}. Je nach Bank kann es einige Tage dauern, bis der Betrag auf Ihrem Konto erscheint.</p>${orderLink}`,
      text: "Wir haben {{amount}} erstattet, weil {{reason}}. Je nach Bank kann es einige Tage dauern, bis der Betrag auf Ihrem Konto erscheint.\n\nBestellung ansehen: {{orderUrl}}",
      push: { title: "Erstattung veranlasst", body: "{{amount}} für Bestellung {{orderNumber}} ist auf dem Weg zu Ihnen." },
    },
    "shipment-dispatched": {
      subject: "Ihre Bestellung {{orderNumber}} ist unterwegs",
      html: `<p>Ihre Bestellung {{orderNumber}} wurde an {{carrier}} übergeben. Sendungsnummer: <strong>{{trackingNumber}}</strong>.</p>{{#eta}}<p>Voraussichtliche Zustellung: {{eta}}.</p>{{/eta}}{{#trackingUrl}}<p><a href="{{trackingUrl}}" style="color:#2563eb">Sendung verfolgen</a></p>{{/trackingUrl}}${orderLink}`,
      text: "Ihre Bestellung {{orderNumber}} wurde an {{carrier}} übergeben. Sendungsnummer: {{trackingNumber}}.\n{{#eta}}Voraussichtliche Zustellung: {{eta}}.\n{{/eta}}{{#trackingUrl}}Sendung verfolgen: {{trackingUrl}}\n{{/trackingUrl}}\nBestellung ansehen: {{orderUrl}}",
      sms: "Edge Commerce: Bestellung {{orderNumber}} mit {{carrier}} versandt, Sendungsnummer {{trackingNumber}}.{{#eta}} Voraussichtlich {{eta}}.{{/eta}}",
      push: { title: "Bestellung {{orderNumber}} versandt", body: "{{carrier}} Sendungsnummer {{trackingNumber}}." },
    },
    "delivery-completed": {
      subject: "Ihre Bestellung {{orderNumber}} wurde zugestellt",
      html: `<p>Ihre Bestellung {{orderNumber}} wurde am {{deliveredAt}} zugestellt. Viel Freude damit!</p><p>Stimmt etwas nicht? <a href="{{returnsUrl}}" style="color:#2563eb">Rücksendung starten</a>.</p>`,
      text: "Ihre Bestellung {{orderNumber}} wurde am {{deliveredAt}} zugestellt. Viel Freude damit!\n\nStimmt etwas nicht? Rücksendung starten: {{returnsUrl}}",
      push: { title: "Bestellung {{orderNumber}} zugestellt", body: "Zugestellt am {{deliveredAt}}." },
    },
    "return-initiated": {
      subject: "Ihre Rücksendung zu Bestellung {{orderNumber}}",
      html: `<p>Wir haben Ihre Rücksendung von {{itemCount}} Artikel(n) aus Bestellung {{orderNumber}} erfasst (Grund: {{reason}}).</p><p>Bitte senden Sie die Ware bis <strong>{{returnBy}}</strong> zurück. Sobald sie eingetroffen ist, erstatten wir den Betrag.</p><p><a href="{{returnsUrl}}" style="color:#2563eb">Details und Rücksendeetikett</a></p>`,
      text: "Wir haben Ihre Rücksendung von {{itemCount}} Artikel(n) aus Bestellung {{orderNumber}} erfasst (Grund: {{reason}}).\n\nBitte senden Sie die Ware bis {{returnBy}} zurück. Sobald sie eingetroffen ist, erstatten wir den Betrag.\n\nDetails und Rücksendeetikett: {{returnsUrl}}",
    },
    "review-flagged": {
      subject: "Bewertung {{reviewId}} muss moderiert werden",
      html: `<p>Die Bewertung {{reviewId}} zu Produkt {{productId}} wurde durch {{flaggedBy}} gemeldet ({{reason}}); bisher {{flagCount}} Meldung(en).</p><p><a href="{{url}}" style="color:#2563eb">In der Moderation öffnen</a></p>`,
      text: "Die Bewertung {{reviewId}} zu Produkt {{productId}} wurde durch {{flaggedBy}} gemeldet ({{reason}}); bisher {{flagCount}} Meldung(en).\n\nIn der Moderation öffnen: {{url}}",
      push: { title: "Bewertung muss moderiert werden", body: "Bewertung {{reviewId}} gemeldet: {{reason}}." },
    },
    "low-stock": {
      subject: "Niedriger Bestand: {{sku}} (noch {{available}})",
      html: `<p>Von SKU <strong>{{sku}}</strong> sind nur noch {{available}} Stück verfügbar ({{onHand}} am Lager); die Meldegrenze liegt bei {{threshold}}.</p><p><a href="{{url}}" style="color:#2563eb">Bestand öffnen</a></p>`,
      text: "Von SKU {{sku}} sind nur noch {{available}} Stück verfügbar ({{onHand}} am Lager); die Meldegrenze liegt bei {{threshold}}.\n\nBestand öffnen: {{url}}",
      push: { title: "Niedriger Bestand: {{sku}}", body: "Noch {{available}} verfügbar (Grenze {{threshold}})." },
    },
    "report-ready": {
      subject: "Bericht bereit: {{title}} ({{from}} bis {{to}})",
      html: `<p>Ihr geplanter Bericht <strong>{{title}}</strong> für {{from}} bis {{to}} ist bereit.</p><ul>{{#files}}<li><a href="{{url}}" style="color:#2563eb">{{label}}</a></li>{{/files}}</ul>{{#attached}}<p>Die Dateien sind dieser E-Mail angehängt.</p>{{/attached}}<p>Die Links gelten bis {{expires}}.</p>`,
      text: "Ihr geplanter Bericht {{title}} für {{from}} bis {{to}} ist bereit.\n\n{{#files}}{{label}}: {{url}}\n{{/files}}\n{{#attached}}Die Dateien sind dieser E-Mail angehängt.\n{{/attached}}Die Links gelten bis {{expires}}.",
    },
    "report-failed": {
      subject: "Bericht fehlgeschlagen: {{title}} ({{from}} bis {{to}})",
      html: `<p>Ihr geplanter Bericht <strong>{{title}}</strong> für {{from}} bis {{to}} konnte nach {{attempts}} Versuchen nicht erstellt werden. Der Bericht des nächsten Zeitraums bleibt geplant.</p>`,
      text: "Ihr geplanter Bericht {{title}} für {{from}} bis {{to}} konnte nach {{attempts}} Versuchen nicht erstellt werden. Der Bericht des nächsten Zeitraums bleibt geplant.",
    },
    "cart-reminder": {
      subject: "Sie haben {{itemCount}} Artikel im Warenkorb gelassen",
      html: `<p>Ihr Warenkorb wartet auf Sie. Diese Artikel lagen noch darin:</p><table role="presentation" width="100%" cellpadding="4" style="border-collapse:collapse">{{#lines}}<tr><td>{{quantity}} × {{name}}</td><td align="right">{{price}}</td></tr>{{/lines}}</table><p><a href="{{url}}" style="background:#2563eb;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Zurück zum Warenkorb</a></p><p>Der Link gilt bis {{expires}}. Preise und Verfügbarkeit werden bei Ihrer Rückkehr neu geprüft.</p>`,
      text: "Ihr Warenkorb wartet auf Sie. Diese Artikel lagen noch darin:\n\n{{#lines}}{{quantity}} × {{name}}: {{price}}\n{{/lines}}\nZurück zum Warenkorb: {{url}}\n\nDer Link gilt bis {{expires}}. Preise und Verfügbarkeit werden bei Ihrer Rückkehr neu geprüft.",
    },
    message: {
      subject: "{{subject}}",
      html: `{{#paragraphs}}<p>{{text}}</p>{{/paragraphs}}{{#action}}<p><a href="{{url}}" style="color:#2563eb">{{label}}</a></p>{{/action}}`,
      text: "{{body}}{{#action}}\n\n{{label}}: {{url}}{{/action}}",
      sms: "Edge Commerce: {{subject}}",
      push: { title: "{{subject}}", body: "{{body}}" },
    },
  },
};
