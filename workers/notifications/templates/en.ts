/** English texts of every template (the fallback locale). */
import type { LocaleBundle } from "./bundle.ts";

const orderLink = `<p><a href="{{orderUrl}}" style="color:#2563eb">View order {{orderNumber}}</a></p>`;

export const en: LocaleBundle = {
  locale: "en",
  greeting: "Hello{{#name}} {{name}}{{/name}},",
  footer: "You receive this message because you have an account with Edge Commerce.",
  preferencesLabel: "Notification settings",
  labels: {
    cancelReason: {
      customer_request: "at your request",
      payment_failed: "because the payment did not go through",
      out_of_stock: "because an item is no longer available",
      fraud_suspected: "for security reasons",
      expired: "because it was not paid in time",
      merchant: "by our team",
      checkout_interrupted: "because the checkout could not be completed",
      fulfilment_failed: "because we could not ship it",
    },
    paymentReason: {
      card_declined: "your card was declined",
      insufficient_funds: "the funds were insufficient",
      expired_card: "your card has expired",
      authentication_required: "your bank asked for additional authentication",
      processing_error: "of a processing error",
      fraud_suspected: "it was flagged by our fraud checks",
    },
    refundReason: {
      order_cancelled: "your order was cancelled",
      return_received: "we received your return",
      goodwill: "of a goodwill gesture",
      duplicate_charge: "you were charged twice",
    },
    returnReason: {
      damaged: "damaged item",
      wrong_item: "wrong item",
      not_as_described: "not as described",
      no_longer_needed: "no longer needed",
      other: "other",
    },
    flagReason: { spam: "spam", offensive: "offensive content", off_topic: "off topic", personal_data: "personal data", other: "other" },
    flaggedBy: { customer: "customer reports", automatic: "automatic screening" },
  },
  templates: {
    welcome: {
      subject: "Welcome to Edge Commerce",
      html: `<p>Thanks for creating your account. You can now follow your orders, save addresses and check out faster.</p><p><a href="{{shopUrl}}" style="color:#2563eb">Start shopping</a></p>`,
      text: "Thanks for creating your account. You can now follow your orders, save addresses and check out faster.\n\nStart shopping: {{shopUrl}}",
    },
    "email-verification": {
      subject: "Confirm your email address",
      html: `<p>Please confirm that this is your email address.</p><p><a href="{{url}}" style="background:#2563eb;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Confirm email address</a></p><p>The link works until {{expires}}. If you did not create an account, you can ignore this message.</p>`,
      text: "Please confirm that this is your email address:\n{{url}}\n\nThe link works until {{expires}}. If you did not create an account, you can ignore this message.",
    },
    "password-reset": {
      subject: "Reset your password",
      html: `<p>Someone asked to reset the password of your account. If it was you, choose a new password here:</p><p><a href="{{url}}" style="background:#2563eb;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Choose a new password</a></p><p>The link works until {{expires}}. If you did not ask for this, ignore this message: your password stays as it is.</p>`,
      text: "Someone asked to reset the password of your account. If it was you, choose a new password here:\n{{url}}\n\nThe link works until {{expires}}. If you did not ask for this, ignore this message: your password stays as it is.",
    },
    "email-change": {
      subject: "Confirm your new email address",
      html: `<p>You asked to use this address for your account. Please confirm it:</p><p><a href="{{url}}" style="background:#2563eb;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Use this address</a></p><p>Until you do, your account keeps its current address. The link works until {{expires}}. If you did not ask for this, ignore this message.</p>`,
      text: "You asked to use this address for your account. Please confirm it:\n{{url}}\n\nUntil you do, your account keeps its current address. The link works until {{expires}}. If you did not ask for this, ignore this message.",
    },
    "email-changed": {
      subject: "The email address of your account was changed",
      html: `<p>Your account now uses the address {{newEmail}} and no longer this one.</p><p>If this was not you, take your account back: the link below returns it to this address and signs everyone out. Then choose a new password.</p><p><a href="{{url}}" style="background:#dc2626;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">This was not me</a></p><p>The link works until {{expires}}.</p>`,
      text: "Your account now uses the address {{newEmail}} and no longer this one.\n\nIf this was not you, take your account back: this link returns it to this address and signs everyone out. Then choose a new password.\n{{url}}\n\nThe link works until {{expires}}.",
    },
    "password-changed": {
      subject: "Your password was changed",
      html: `<p>The password of your account was {{#viaReset}}reset{{/viaReset}}{{^viaReset}}changed{{/viaReset}} just now, and you were signed out on your other devices.</p><p>If this was not you, <a href="{{securityUrl}}" style="color:#2563eb">secure your account</a> and contact us.</p>`,
      text: "The password of your account was {{#viaReset}}reset{{/viaReset}}{{^viaReset}}changed{{/viaReset}} just now, and you were signed out on your other devices.\n\nIf this was not you, secure your account: {{securityUrl}}",
      push: { title: "Password changed", body: "The password of your account was changed. Not you? Secure your account now." },
    },
    "order-created": {
      subject: "We received your order {{orderNumber}}",
      html: `<p>Thank you for your order. We are confirming the payment and will let you know when it is done.</p><table role="presentation" width="100%" cellpadding="4" style="border-collapse:collapse">{{#lines}}<tr><td>{{quantity}} × {{name}}</td><td align="right">{{price}}</td></tr>{{/lines}}<tr><td style="border-top:1px solid #e4e4e7"><strong>Total</strong></td><td align="right" style="border-top:1px solid #e4e4e7"><strong>{{total}}</strong></td></tr></table>${orderLink}`,
      text: "Thank you for your order. We are confirming the payment and will let you know when it is done.\n\n{{#lines}}{{quantity}} × {{name}}: {{price}}\n{{/lines}}Total: {{total}}\n\nView order {{orderNumber}}: {{orderUrl}}",
      push: { title: "Order {{orderNumber}} received", body: "Total {{total}}. We will confirm it shortly." },
    },
    "order-confirmed": {
      subject: "Your order {{orderNumber}} is confirmed",
      html: `<p>Good news: your payment went through and your order {{orderNumber}} ({{total}}) is confirmed. We will tell you as soon as it ships.</p><p>{{#invoiceNumber}}Your invoice {{invoiceNumber}} is attached; it is also here: {{/invoiceNumber}}{{^invoiceNumber}}Your invoice: {{/invoiceNumber}}<a href="{{invoiceUrl}}">{{invoiceUrl}}</a></p>${orderLink}`,
      text: "Good news: your payment went through and your order {{orderNumber}} ({{total}}) is confirmed. We will tell you as soon as it ships.\n\n{{#invoiceNumber}}Your invoice {{invoiceNumber}} is attached; it is also here: {{/invoiceNumber}}{{^invoiceNumber}}Your invoice: {{/invoiceNumber}}{{invoiceUrl}}\nView order: {{orderUrl}}",
      sms: "Edge Commerce: order {{orderNumber}} ({{total}}) is confirmed. Details: {{orderUrl}}",
      push: { title: "Order {{orderNumber}} confirmed", body: "Your payment of {{total}} went through." },
    },
    "order-cancelled": {
      subject: "Your order {{orderNumber}} was cancelled",
      html: `<p>Your order {{orderNumber}} was cancelled {{reason}}.</p>{{#refund}}<p>We are refunding {{refund}} to your original payment method.</p>{{/refund}}${orderLink}`,
      text: "Your order {{orderNumber}} was cancelled {{reason}}.\n{{#refund}}We are refunding {{refund}} to your original payment method.\n{{/refund}}\nView order: {{orderUrl}}",
      sms: "Edge Commerce: order {{orderNumber}} was cancelled {{reason}}.{{#refund}} Refund: {{refund}}.{{/refund}}",
      push: { title: "Order {{orderNumber}} cancelled", body: "Your order was cancelled {{reason}}." },
    },
    "payment-failed": {
      subject: "Payment for order {{orderNumber}} failed",
      html: `<p>We could not take the payment of {{amount}} for your order {{orderNumber}} because {{reason}}.</p>{{#retryable}}<p>Your order is kept for now: please try again with another payment method.</p>{{/retryable}}{{^retryable}}<p>Your order could not be completed.</p>{{/retryable}}${orderLink}`,
      text: "We could not take the payment of {{amount}} for your order {{orderNumber}} because {{reason}}.\n{{#retryable}}Your order is kept for now: please try again with another payment method.\n{{/retryable}}{{^retryable}}Your order could not be completed.\n{{/retryable}}\nView order: {{orderUrl}}",
      sms: "Edge Commerce: payment for order {{orderNumber}} failed. {{#retryable}}Please try again: {{orderUrl}}{{/retryable}}",
      push: { title: "Payment failed", body: "Payment of {{amount}} for order {{orderNumber}} failed." },
    },
    "refund-issued": {
      subject: "Refund of {{amount}} for order {{orderNumber}}",
      html: `<p>We refunded {{amount}} because {{reason}}. Depending on your bank it can take a few days to appear on your statement.</p>${orderLink}`,
      text: "We refunded {{amount}} because {{reason}}. Depending on your bank it can take a few days to appear on your statement.\n\nView order: {{orderUrl}}",
      push: { title: "Refund issued", body: "{{amount}} for order {{orderNumber}} is on its way back to you." },
    },
    "shipment-dispatched": {
      subject: "Your order {{orderNumber}} is on its way",
      html: `<p>Your order {{orderNumber}} has been handed to {{carrier}}. Tracking number: <strong>{{trackingNumber}}</strong>.</p>{{#eta}}<p>Expected delivery: {{eta}}.</p>{{/eta}}{{#trackingUrl}}<p><a href="{{trackingUrl}}" style="color:#2563eb">Track your parcel</a></p>{{/trackingUrl}}${orderLink}`,
      text: "Your order {{orderNumber}} has been handed to {{carrier}}. Tracking number: {{trackingNumber}}.\n{{#eta}}Expected delivery: {{eta}}.\n{{/eta}}{{#trackingUrl}}Track your parcel: {{trackingUrl}}\n{{/trackingUrl}}\nView order: {{orderUrl}}",
      sms: "Edge Commerce: order {{orderNumber}} shipped with {{carrier}}, tracking {{trackingNumber}}.{{#eta}} Expected {{eta}}.{{/eta}}",
      push: { title: "Order {{orderNumber}} shipped", body: "{{carrier}} tracking number {{trackingNumber}}." },
    },
    "delivery-completed": {
      subject: "Your order {{orderNumber}} was delivered",
      html: `<p>Your order {{orderNumber}} was delivered on {{deliveredAt}}. We hope you enjoy it.</p><p>Something not right? <a href="{{returnsUrl}}" style="color:#2563eb">Start a return</a>.</p>`,
      text: "Your order {{orderNumber}} was delivered on {{deliveredAt}}. We hope you enjoy it.\n\nSomething not right? Start a return: {{returnsUrl}}",
      push: { title: "Order {{orderNumber}} delivered", body: "Delivered on {{deliveredAt}}." },
    },
    "return-initiated": {
      subject: "Your return for order {{orderNumber}}",
      html: `<p>We registered your return of {{itemCount}} item(s) from order {{orderNumber}} (reason: {{reason}}).</p><p>Please send the goods back by <strong>{{returnBy}}</strong>. Once they arrive we will issue your refund.</p><p><a href="{{returnsUrl}}" style="color:#2563eb">Return details and label</a></p>`,
      text: "We registered your return of {{itemCount}} item(s) from order {{orderNumber}} (reason: {{reason}}).\n\nPlease send the goods back by {{returnBy}}. Once they arrive we will issue your refund.\n\nReturn details and label: {{returnsUrl}}",
    },
    "review-flagged": {
      subject: "Review {{reviewId}} needs moderation",
      html: `<p>Review {{reviewId}} of product {{productId}} was flagged ({{reason}}) by {{flaggedBy}}; {{flagCount}} flag(s) so far.</p><p><a href="{{url}}" style="color:#2563eb">Open in moderation</a></p>`,
      text: "Review {{reviewId}} of product {{productId}} was flagged ({{reason}}) by {{flaggedBy}}; {{flagCount}} flag(s) so far.\n\nOpen in moderation: {{url}}",
      push: { title: "Review needs moderation", body: "Review {{reviewId}} flagged: {{reason}}." },
    },
    "low-stock": {
      subject: "Low stock: {{sku}} ({{available}} left)",
      html: `<p>Only {{available}} unit(s) of SKU <strong>{{sku}}</strong> are available ({{onHand}} on hand); the low-stock threshold is {{threshold}}.</p><p><a href="{{url}}" style="color:#2563eb">Open stock</a></p>`,
      text: "Only {{available}} unit(s) of SKU {{sku}} are available ({{onHand}} on hand); the low-stock threshold is {{threshold}}.\n\nOpen stock: {{url}}",
      push: { title: "Low stock: {{sku}}", body: "{{available}} left (threshold {{threshold}})." },
    },
    "report-ready": {
      subject: "Report ready: {{title}} ({{from}} to {{to}})",
      html: `<p>Your scheduled report <strong>{{title}}</strong> for {{from}} to {{to}} is ready.</p><ul>{{#files}}<li><a href="{{url}}" style="color:#2563eb">{{label}}</a></li>{{/files}}</ul>{{#attached}}<p>The files are attached to this mail.</p>{{/attached}}<p>The links work until {{expires}}.</p>`,
      text: "Your scheduled report {{title}} for {{from}} to {{to}} is ready.\n\n{{#files}}{{label}}: {{url}}\n{{/files}}\n{{#attached}}The files are attached to this mail.\n{{/attached}}The links work until {{expires}}.",
    },
    "report-failed": {
      subject: "Report failed: {{title}} ({{from}} to {{to}})",
      html: `<p>Your scheduled report <strong>{{title}}</strong> for {{from}} to {{to}} could not be produced after {{attempts}} attempts. The next period's report is still scheduled.</p>`,
      text: "Your scheduled report {{title}} for {{from}} to {{to}} could not be produced after {{attempts}} attempts. The next period's report is still scheduled.",
    },
    "cart-reminder": {
      subject: "You left {{itemCount}} item(s) in your cart",
      html: `<p>Your cart is waiting for you. These items were still in it:</p><table role="presentation" width="100%" cellpadding="4" style="border-collapse:collapse">{{#lines}}<tr><td>{{quantity}} × {{name}}</td><td align="right">{{price}}</td></tr>{{/lines}}</table><p><a href="{{url}}" style="background:#2563eb;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Back to my cart</a></p><p>The link works until {{expires}}. Prices and availability are checked again when you return.</p>`,
      text: "Your cart is waiting for you. These items were still in it:\n\n{{#lines}}{{quantity}} × {{name}}: {{price}}\n{{/lines}}\nBack to my cart: {{url}}\n\nThe link works until {{expires}}. Prices and availability are checked again when you return.",
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
