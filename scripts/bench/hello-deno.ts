// The baseline on Deno: the smallest `deno serve` handler there is.
export default {
  fetch(): Response {
    return new Response("ok");
  },
};
