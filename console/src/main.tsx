import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Router } from "wouter";
import { App } from "./App.tsx";
import { ProblemError } from "./lib/problem.ts";
import { applyTheme, preferredTheme } from "./lib/theme.ts";
import "./styles.css";

applyTheme(preferredTheme());

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // A refusal will not change by asking again; a network blip or a 503 may.
      retry: (count, err) => count < 2 && !(err instanceof ProblemError && err.problem.status < 500),
    },
  },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <Router base="/admin">
        <App />
      </Router>
    </QueryClientProvider>
  </StrictMode>,
);
