/**
 * Wire fixtures of the providers' HTTP APIs: the requests our adapters must
 * make for a fixed message (as the providers document them) and the
 * providers' recorded answers, success and failure. Tests replay the answers
 * through a stub of the outbound fetch; nothing reaches the network.
 */

export const MESSAGE = {
  email: { to: "ada@example.com", subject: "Your order EC-1001 is confirmed", html: "<p>Hello Ada</p>", text: "Hello Ada" },
  sms: { to: "+4915112345678", body: "Edge Commerce: order EC-1001 (€12.34) is confirmed." },
};
export const CONTEXT = {
  idempotencyKey: "5f2b9c0e7d1a4b3c8e6f0a9d2c4b1e7f5f2b9c0e7d1a4b3c8e6f0a9d2c4b1e7f",
  deliveryId: "ntf_01JQ8Y3Z5N7Q2W4E6R8T0Y2U4V",
  template: "order-confirmed",
  userId: "usr_01JQ8Y3Z5N7Q2W4E6R8T0Y2U4W",
};

export const RESEND = {
  config: {
    kind: "resend" as const,
    name: "resend",
    apiKey: "re_test_0123456789abcdef",
    from: "Edge Commerce <shop@mail.example>",
    baseUrl: "https://api.resend.com",
  },
  request: {
    method: "POST",
    url: "https://api.resend.com/emails",
    headers: {
      authorization: "Bearer re_test_0123456789abcdef",
      "content-type": "application/json",
      "idempotency-key": CONTEXT.idempotencyKey,
    },
    body: {
      from: "Edge Commerce <shop@mail.example>",
      to: ["ada@example.com"],
      subject: "Your order EC-1001 is confirmed",
      html: "<p>Hello Ada</p>",
      text: "Hello Ada",
      tags: [
        { name: "template", value: "order-confirmed" },
        { name: "notification_id", value: CONTEXT.deliveryId },
      ],
    },
  },
  ok: { status: 200, headers: { "content-type": "application/json" }, body: '{"id":"4ef9a417-02e9-4d39-ad75-9611e0fcc33c"}' },
  invalidRecipient: {
    status: 422,
    headers: { "content-type": "application/json" },
    body: '{"statusCode":422,"message":"Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.","name":"validation_error"}',
  },
  rateLimited: {
    status: 429,
    headers: { "content-type": "application/json", "retry-after": "1" },
    body: '{"statusCode":429,"message":"Too many requests. You can only make 2 requests per second.","name":"rate_limit_exceeded"}',
  },
  keyReused: {
    status: 409,
    headers: { "content-type": "application/json" },
    body: '{"statusCode":409,"message":"This idempotency key has already been used on a request that had a different payload.","name":"invalid_idempotent_request"}',
  },
  serverError: {
    status: 500,
    headers: { "content-type": "application/json" },
    body: '{"statusCode":500,"message":"Internal server error","name":"internal_server_error"}',
  },
};

export const SENDGRID = {
  config: {
    kind: "sendgrid" as const,
    name: "sendgrid",
    apiKey: "SG.test-0123456789.abcdef",
    from: "Edge Commerce <shop@mail.example>",
    baseUrl: "https://api.sendgrid.com",
  },
  request: {
    method: "POST",
    url: "https://api.sendgrid.com/v3/mail/send",
    headers: { authorization: "Bearer SG.test-0123456789.abcdef", "content-type": "application/json" },
    body: {
      personalizations: [{ to: [{ email: "ada@example.com" }], custom_args: { notification_id: CONTEXT.deliveryId } }],
      from: { email: "shop@mail.example", name: "Edge Commerce" },
      subject: "Your order EC-1001 is confirmed",
      content: [
        { type: "text/plain", value: "Hello Ada" },
        { type: "text/html", value: "<p>Hello Ada</p>" },
      ],
      categories: ["order-confirmed"],
    },
  },
  ok: { status: 202, headers: { "x-message-id": "W6A2NKQzQY2JCjoCe1Zb5A" }, body: "" },
  invalidRecipient: {
    status: 400,
    headers: { "content-type": "application/json" },
    body: '{"errors":[{"message":"Does not contain a valid address.","field":"personalizations.0.to.0.email","help":"https://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to"}]}',
  },
};

export const TWILIO = {
  config: {
    kind: "twilio" as const,
    name: "twilio",
    accountSid: "AC0123456789abcdef0123456789abcdef",
    authToken: "twilio-test-auth-token-0123",
    from: "+15017122661",
    baseUrl: "https://api.twilio.com",
    statusCallbackUrl: "https://api.shop.example/api/notifications/webhooks/twilio",
  },
  request: {
    method: "POST",
    url: "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json",
    headers: {
      authorization: `Basic ${btoa("AC0123456789abcdef0123456789abcdef:twilio-test-auth-token-0123")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    form: {
      To: "+4915112345678",
      Body: "Edge Commerce: order EC-1001 (€12.34) is confirmed.",
      From: "+15017122661",
      StatusCallback: "https://api.shop.example/api/notifications/webhooks/twilio",
    },
  },
  ok: {
    status: 201,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      account_sid: "AC0123456789abcdef0123456789abcdef",
      api_version: "2010-04-01",
      body: "Edge Commerce: order EC-1001 (€12.34) is confirmed.",
      date_created: "Thu, 24 Aug 2023 05:01:45 +0000",
      direction: "outbound-api",
      error_code: null,
      from: "+15017122661",
      num_segments: "1",
      sid: "SM1f0e8ae6ade43cb3c0ce4525424e404f",
      status: "queued",
      to: "+4915112345678",
      uri: "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f.json",
    }),
  },
  invalidNumber: {
    status: 400,
    headers: { "content-type": "application/json" },
    body: '{"code":21211,"message":"Invalid \'To\' Phone Number: +4915112345678","more_info":"https://www.twilio.com/docs/errors/21211","status":400}',
  },
  unsubscribed: {
    status: 400,
    headers: { "content-type": "application/json" },
    body: '{"code":21610,"message":"Attempt to send to unsubscribed recipient","more_info":"https://www.twilio.com/docs/errors/21610","status":400}',
  },
  badCredentials: {
    status: 401,
    headers: { "content-type": "application/json" },
    body: '{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}',
  },
};

export const PUSH = {
  endpoint:
    "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHqjZxM0VImWWqDRN7U0a3AycjUf4O-byuxb_wJsKRaKvV_iKw56s16ekq6FUqoCF7k2nICUpd8fHPxVTgqLunFeVeB9lLCQZyohyAztTH8ZQL9WCxKpA6dvTG_TUIhQUFq_n",
  created: { status: 201, headers: { location: "https://fcm.googleapis.com/0:1700000000000000%7c1a2b3c4d5e6f7a8b9c0d" }, body: "" },
  gone: { status: 410, headers: { "content-type": "text/plain" }, body: "push subscription has unsubscribed or expired.\n" },
  throttled: { status: 429, headers: { "retry-after": "60" }, body: "" },
};

export type RecordedResponse = { status: number; headers: Record<string, string>; body: string };
export const replay = (r: RecordedResponse) => new Response(r.body || null, { status: r.status, headers: r.headers });
