-- Products that existed before the price index get their one window. No
-- discounts existed before this release, so the "from" price is the cheapest
-- base price, which is what the pricing function gives without discounts.
INSERT INTO "catalog"."price_windows" ("product_id", "valid_from", "valid_until", "min_price_minor", "max_price_minor", "currency", "discounted")
SELECT "product_id", '-infinity', 'infinity', min("price_minor"), max("price_minor"), min("currency"), false
FROM "catalog"."variants"
GROUP BY "product_id"
ON CONFLICT DO NOTHING;
