/** The settings the invoices family reads: the seller printed on every document (see docs/invoices.md). */
import { z } from "zod";
import { defineConfig } from "../platform/config.ts";

export const invoicesConfig = defineConfig(
  "invoices",
  z.object({
    /** Invoices: the seller's legal name printed on invoices and credit notes. */
    INVOICE_SELLER_NAME: z.string().min(1).default("Edge Commerce Ltd"),
    /** Invoices: the seller's postal address, lines separated by "|". */
    INVOICE_SELLER_ADDRESS: z.string().min(1).default("1 Market Street|Dublin D01 A1B2"),
    /** Invoices: the seller's country (ISO 3166-1 alpha-2). */
    INVOICE_SELLER_COUNTRY: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .default("IE"),
    /** Invoices: the seller's VAT identification number. */
    INVOICE_SELLER_VAT_ID: z.string().min(1).default("IE1234567X"),
  }),
);
