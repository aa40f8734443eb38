-- Standard and reduced VAT of a few EU countries (prices shown tax-inclusive,
-- tax rounded per rate over the order, shipping taxed at the standard rate)
-- and the state-wide sales tax of a few US states (prices tax-exclusive,
-- rounded per line; shipping taxed where the state taxes it). Local US rates
-- on top of the state's are an external provider's job (docs/checkout.md).
-- States without a sales tax (Oregon, ...) have no row: no tax.
INSERT INTO "tax"."regions" ("code", "country", "region", "prices_include_tax", "rounding", "standard_bp", "reduced_bp", "shipping_tax_class") VALUES
  ('DE', 'DE', '', true, 'total', 1900, 700, 'standard'),
  ('FR', 'FR', '', true, 'total', 2000, 550, 'standard'),
  ('NL', 'NL', '', true, 'total', 2100, 900, 'standard'),
  ('IT', 'IT', '', true, 'total', 2200, 1000, 'standard'),
  ('ES', 'ES', '', true, 'total', 2100, 1000, 'standard'),
  ('AT', 'AT', '', true, 'total', 2000, 1000, 'standard'),
  ('US-CA', 'US', 'CA', false, 'line', 725, 0, 'exempt'),
  ('US-NY', 'US', 'NY', false, 'line', 400, 0, 'standard'),
  ('US-TX', 'US', 'TX', false, 'line', 625, 0, 'standard'),
  ('US-WA', 'US', 'WA', false, 'line', 650, 0, 'standard')
ON CONFLICT DO NOTHING;
