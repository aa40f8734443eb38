// The baseline: the smallest Worker there is, on the same runtime.
export default {
  fetch() {
    return new Response("ok");
  },
};
