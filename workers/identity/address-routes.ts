/** A user's address book under /api/users/{id}/addresses (the owner or admin; support reads). */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { notFound } from "../platform/errors.ts";
import { requireSelfOrRole } from "../platform/guards.ts";
import { jsonContent, listOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { findActiveUser, listAddresses, toAddressView } from "./accounts.ts";
import { addAddress, removeAddress, updateAddress } from "./addresses.ts";
import { security } from "./http.ts";
import { AddressBody, AddressId, AddressPatchBody, AddressSchema, UserId } from "./user-schemas.ts";

const tags = ["Users"];
const readers = requireSelfOrRole("id", { roles: ["support", "admin"], what: "user" });
const writers = requireSelfOrRole("id", { roles: ["admin"], visibleTo: ["support"], what: "user" });
const UserParam = z.object({ id: UserId });
const AddressParam = z.object({ id: UserId, addressId: AddressId });

const listRoute = createRoute({
  method: "get",
  path: "/{id}/addresses",
  tags,
  summary: "The account's addresses",
  security,
  middleware: [readers],
  request: { params: UserParam },
  responses: { 200: jsonContent(listOf("AddressList", AddressSchema), "Addresses"), ...pick(401, 404, 422) },
});

const addRoute = createRoute({
  method: "post",
  path: "/{id}/addresses",
  tags,
  summary: "Add an address; the first one becomes the default shipping address",
  security,
  middleware: [writers],
  request: { params: UserParam, body: { required: true, content: { "application/json": { schema: AddressBody } } } },
  responses: { 201: jsonContent(AddressSchema, "The new address"), ...pick(401, 403, 404, 409, 422) },
});

const updateRoute = createRoute({
  method: "patch",
  path: "/{id}/addresses/{addressId}",
  tags,
  summary: "Change an address, or make it the default shipping address",
  security,
  middleware: [writers],
  request: { params: AddressParam, body: { required: true, content: { "application/json": { schema: AddressPatchBody } } } },
  responses: { 200: jsonContent(AddressSchema, "The changed address"), ...pick(401, 403, 404, 422) },
});

const removeRoute = createRoute({
  method: "delete",
  path: "/{id}/addresses/{addressId}",
  tags,
  summary: "Remove an address",
  security,
  middleware: [writers],
  request: { params: AddressParam },
  responses: { 204: { description: "Removed" }, ...pick(401, 403, 404, 422) },
});

export const addressRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
addressRoutes
  .openapi(listRoute, async (c) => {
    const { id } = c.req.valid("param");
    const db = dbOf(c);
    if (!(await findActiveUser(db, id))) throw notFound("user");
    return c.json({ items: (await listAddresses(db, id)).map(toAddressView) }, 200);
  })
  .openapi(addRoute, async (c) => {
    const { id } = c.req.valid("param");
    const address = await addAddress(scopeOf(c), id, c.req.valid("json"));
    return c.json(address, 201, { location: `/api/users/${id}/addresses/${address.id}` });
  })
  .openapi(updateRoute, async (c) => {
    const { id, addressId } = c.req.valid("param");
    return c.json(await updateAddress(scopeOf(c), id, addressId, c.req.valid("json")), 200);
  })
  .openapi(removeRoute, async (c) => {
    const { id, addressId } = c.req.valid("param");
    await removeAddress(scopeOf(c), id, addressId);
    return c.body(null, 204);
  });
