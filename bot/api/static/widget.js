/*
 * tradebot web chat widget. Embed with one tag:
 *   <script src="https://HOST/widget.js" data-api="https://HOST" data-key="PUBLIC_KEY" defer></script>
 * Optional: data-title, data-accent (a CSS colour), data-position ("right" | "left"); or set the
 * CSS custom properties --tradebot-accent, --tradebot-font, --tradebot-z on the `trade-chat` element.
 *
 * Safe by construction: every piece of corpus or answer text goes into the page as a text node
 * (textContent / append(string)); no HTML is ever parsed from data, and links are http(s) only.
 */
(() => {
  "use strict";
  const TAG = "trade-chat";
  if (window.customElements.get(TAG)) return;
  const SCRIPT = document.currentScript;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const ICONS = {
    chat: "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z",
    thumb:
      "M1 21h4V9H1v12zm22-11a2 2 0 0 0-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
      "7.59 7.59A1.98 1.98 0 0 0 7 9v10a2 2 0 0 0 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23" +
      ".14-.47.14-.73v-2z",
  };
  const UNREACHABLE =
    "Can't reach the trade chat service (it may be down, or this site may not be allowed to use " +
    "it). Please try again later.";
  const MAX_TURNS = 60;

  const STYLE = `
:host { all: initial; display: block; position: fixed; z-index: var(--tradebot-z, 2147483000);
  bottom: 16px; right: 16px; color: #1d2330;
  font: 14px/1.45 var(--tradebot-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif); }
:host([data-position="left"]) { right: auto; left: 16px; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 2px solid var(--tradebot-accent, #1f5fd1); outline-offset: 2px; }
a { color: var(--tradebot-accent, #1f5fd1); }
time { white-space: nowrap; }
svg { width: 1.25em; height: 1.25em; fill: currentColor; vertical-align: middle; }
.launcher { width: 56px; height: 56px; border: 0; border-radius: 50%; color: #fff;
  background: var(--tradebot-accent, #1f5fd1); box-shadow: 0 4px 14px rgba(0,0,0,.25);
  display: grid; place-items: center; }
.launcher svg { width: 26px; height: 26px; }
.panel { width: min(390px, calc(100vw - 32px)); height: min(620px, calc(100vh - 32px));
  display: flex; flex-direction: column; background: #fff; border-radius: 12px;
  box-shadow: 0 10px 36px rgba(0,0,0,.28); overflow: hidden; }
header { display: flex; align-items: center; justify-content: space-between; gap: 8px;
  padding: 10px 12px 10px 16px; color: #fff; background: var(--tradebot-accent, #1f5fd1); }
h2 { margin: 0; font-size: 15px; font-weight: 600; }
.close { border: 0; background: transparent; color: #fff; font-size: 22px; line-height: 1;
  width: 36px; height: 36px; border-radius: 6px; }
.messages { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column;
  gap: 10px; background: #f7f8fa; }
.empty { color: #5b6475; margin: auto 8px; text-align: center; }
.msg { max-width: 92%; padding: 8px 11px; border-radius: 10px; overflow-wrap: anywhere; }
.msg p { margin: 0; white-space: pre-wrap; }
.user { align-self: flex-end; color: #fff; background: var(--tradebot-accent, #1f5fd1); }
.bot { align-self: flex-start; background: #fff; border: 1px solid #e1e4ea; }
.refused { background: #fff8e8; border-color: #efc56b; }
.refused .label { font-weight: 600; margin-bottom: 4px; }
.error { align-self: stretch; background: #fdeeee; border: 1px solid #e3a0a0; color: #8a1c1c; }
.notice { margin-top: 6px !important; font-size: 12px; color: #6b5300; }
.cite { border: 0; padding: 0 1px; background: none; font-weight: 600;
  color: var(--tradebot-accent, #1f5fd1); text-decoration: underline; }
.cite[aria-expanded="true"] { background: #e8eefc; border-radius: 3px; }
.quote { margin-top: 8px; padding: 8px 10px; background: #f4f6fb; border-radius: 6px;
  border-left: 3px solid var(--tradebot-accent, #1f5fd1); }
blockquote { margin: 0 0 6px; font-style: italic; white-space: pre-wrap; }
.meta { font-size: 12.5px; color: #4a5264; }
.sources { margin: 8px 0 0; padding: 6px 0 0; list-style: none; font-size: 12.5px;
  border-top: 1px solid #e8eaef; }
.sources li { margin: 2px 0; }
.related { margin: 8px 0 0; padding: 6px 0 0; font-size: 12.5px; border-top: 1px solid #efd9a6; }
.related p { margin: 0 0 2px; color: #5b4a1c; }
.related ul { margin: 0; padding-left: 18px; }
.asof { margin-top: 6px !important; font-size: 12px; color: #5b6475; }
.timeline { list-style: none; margin: 0; padding: 0 0 0 14px; border-left: 2px solid #cfd8ea; }
.timeline li { position: relative; margin: 0 0 10px; }
.timeline li::before { content: ""; position: absolute; left: -20px; top: 5px; width: 10px;
  height: 10px; border-radius: 50%; background: var(--tradebot-accent, #1f5fd1); }
.timeline li.now::before { box-shadow: 0 0 0 3px #cfd8ea; }
.timeline time { display: block; font-weight: 600; font-size: 12.5px; color: #2c3548; }
.feedback { display: flex; gap: 6px; align-items: center; margin-top: 8px; font-size: 12px;
  color: #5b6475; }
.feedback button { border: 1px solid #cfd4de; background: #fff; border-radius: 6px;
  padding: 2px 7px; color: #4a5264; }
.feedback button[aria-pressed="true"] { color: #fff; background: var(--tradebot-accent, #1f5fd1);
  border-color: transparent; }
.down svg { transform: rotate(180deg); }
.typing { display: inline-flex; gap: 4px; padding: 4px 0; }
.typing span { width: 7px; height: 7px; border-radius: 50%; background: #8a93a6;
  animation: blink 1.2s infinite ease-in-out; }
.typing span:nth-child(2) { animation-delay: .2s; } .typing span:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
form { display: flex; gap: 8px; align-items: flex-end; padding: 10px; border-top: 1px solid #e3e6ec; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
textarea { flex: 1; min-width: 0; resize: none; height: 42px; max-height: 120px; padding: 9px 10px;
  border: 1px solid #c3c9d4; border-radius: 8px; background: #fff; }
.send { border: 0; border-radius: 8px; padding: 10px 16px; color: #fff; font-weight: 600;
  background: var(--tradebot-accent, #1f5fd1); }
.send:disabled { opacity: .6; cursor: default; }
@media (max-width: 480px) {
  .panel { position: fixed; inset: 0; width: 100vw; height: 100vh; border-radius: 0; }
}`;

  /** Create an element; string children become text nodes, never HTML. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === true) node.setAttribute(name, "");
      else if (value !== false && value != null) node.setAttribute(name, String(value));
    }
    for (const child of children) if (child != null) node.append(child);
    return node;
  }

  function icon(name) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  /** Return the URL if it is http(s), else null (no javascript:, data:, ...). */
  function safeUrl(value) {
    try {
      const url = new URL(String(value));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function link(text, url) {
    const href = safeUrl(url);
    if (!href) return h("span", {}, text);
    return h("a", { href, target: "_blank", rel: "noopener noreferrer" }, text);
  }

  /** Incremental Server-Sent Events parser: feed it decoded text in chunks of any size. */
  class SseParser {
    constructor(onEvent) {
      this.onEvent = onEvent;
      this.buffer = "";
      this.event = "";
      this.data = [];
    }

    feed(text) {
      this.buffer += text;
      const lineEnd = /\r\n|\r|\n/g;
      let start = 0;
      let match;
      while ((match = lineEnd.exec(this.buffer))) {
        // A trailing "\r" may be the first half of "\r\n": wait for the next chunk.
        if (match[0] === "\r" && lineEnd.lastIndex === this.buffer.length) break;
        this.line(this.buffer.slice(start, match.index));
        start = lineEnd.lastIndex;
      }
      this.buffer = this.buffer.slice(start);
    }

    end() {
      if (this.buffer) this.line(this.buffer.replace(/\r$/, ""));
      this.buffer = "";
      this.line("");
    }

    line(line) {
      if (line === "") {
        if (this.data.length) this.onEvent(this.event || "message", this.data.join("\n"));
        this.event = "";
        this.data = [];
        return;
      }
      if (line.startsWith(":")) return;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") this.event = value;
      else if (field === "data") this.data.push(value);
    }
  }

  class ApiError extends Error {}

  /** Turn an error response into the message to show, preferring the server's own words. */
  async function describeError(response) {
    let message = "";
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) message = String(body.error.message);
      else if (body && typeof body.detail === "string") message = body.detail;
    } catch {
      message = "";
    }
    const status = `${response.status}${response.statusText ? " " + response.statusText : ""}`;
    return `The trade chat service returned an error (${status})${message ? ": " + message : "."}`;
  }

  class TradeChat extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const fromScript = SCRIPT && SCRIPT.src ? new URL(SCRIPT.src, location.href).origin : "";
      this.api = (this.dataset.api || fromScript || location.origin).replace(/\/+$/, "");
      this.key = this.dataset.key || "";
      this.storageKey = `tradebot-chat:${this.api}`;
      const accent = this.dataset.accent;
      if (accent && window.CSS && CSS.supports("color", accent)) {
        this.style.setProperty("--tradebot-accent", accent);
      }
      this.state = this.load();
      this.busy = false;
      this.build(this.attachShadow({ mode: "open" }), this.dataset.title || "Trade chat");
      this.renderTranscript();
      if (this.state.open) this.open({ focus: false });
    }

    build(root, title) {
      this.launcher = h("button", {
        class: "launcher", type: "button", "aria-label": "Open trade chat",
        "aria-expanded": "false", "aria-controls": "tradebot-panel",
      }, icon("chat"));
      this.messages = h("div", {
        class: "messages", role: "log", "aria-live": "polite", "aria-label": "Conversation",
      });
      this.input = h("textarea", {
        id: "tradebot-input", rows: "1", maxlength: "2000", autocomplete: "off",
        placeholder: "Ask about tariffs, export controls…",
      });
      this.sendButton = h("button", { class: "send", type: "submit" }, "Send");
      this.form = h("form", {},
        h("label", { for: "tradebot-input", class: "sr-only" }, "Ask a question"),
        this.input, this.sendButton);
      const close = h("button", { class: "close", type: "button", "aria-label": "Close chat" }, "×");
      this.panel = h("section", {
        id: "tradebot-panel", class: "panel", role: "dialog", "aria-label": title, hidden: true,
      }, h("header", {}, h("h2", {}, title), close), this.messages, this.form);
      root.append(h("style", {}, STYLE), this.launcher, this.panel);

      this.launcher.addEventListener("click", () => this.open({ focus: true }));
      close.addEventListener("click", () => this.close());
      this.panel.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          this.close();
        }
      });
      this.input.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.form.requestSubmit();
        }
      });
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        const question = this.input.value.trim();
        if (!question || this.busy) return;
        this.input.value = "";
        this.ask(question);
      });
    }

    open({ focus }) {
      this.panel.hidden = false;
      this.launcher.hidden = true;
      this.launcher.setAttribute("aria-expanded", "true");
      this.messages.scrollTop = this.messages.scrollHeight;
      if (focus) this.input.focus();
      this.state.open = true;
      this.save();
    }

    /** Open the chat and ask `question` as if it had been typed (the demo page's examples). */
    askQuestion(question) {
      const text = String(question || "").trim();
      if (!text || this.busy) return;
      this.open({ focus: false });
      this.ask(text);
    }

    close() {
      this.panel.hidden = true;
      this.launcher.hidden = false;
      this.launcher.setAttribute("aria-expanded", "false");
      this.launcher.focus();
      this.state.open = false;
      this.save();
    }

    load() {
      try {
        const saved = JSON.parse(sessionStorage.getItem(this.storageKey) || "null");
        if (saved && Array.isArray(saved.turns)) return saved;
      } catch {
        // Storage blocked or corrupt: start a fresh conversation.
      }
      return { conversationId: null, turns: [], open: false };
    }

    save() {
      this.state.turns = this.state.turns.slice(-MAX_TURNS);
      try {
        sessionStorage.setItem(this.storageKey, JSON.stringify(this.state));
      } catch {
        // Storage full or blocked: the conversation just won't survive a reload.
      }
    }

    renderTranscript() {
      this.messages.replaceChildren();
      if (!this.state.turns.length) {
        this.messages.append(h("p", { class: "empty" },
          "Ask about tariffs, export controls or rare-earth licences. Answers cite the news."));
      }
      for (const turn of this.state.turns) this.messages.append(this.renderTurn(turn));
    }

    renderTurn(turn) {
      if (turn.role === "user") return h("div", { class: "msg user" }, h("p", {}, turn.text));
      if (turn.role === "error") return this.renderError(turn.text);
      return this.renderAnswer(turn);
    }

    renderError(text) {
      return h("div", { class: "msg error", role: "alert" }, h("p", {}, text));
    }

    append(node) {
      const empty = this.messages.querySelector(".empty");
      if (empty) empty.remove();
      this.messages.append(node);
      this.messages.scrollTop = this.messages.scrollHeight;
    }

    async ask(question) {
      this.busy = true;
      this.sendButton.disabled = true;
      this.state.turns.push({ role: "user", text: question });
      this.save();
      this.append(h("div", { class: "msg user" }, h("p", {}, question)));
      const pending = this.renderPending();
      this.append(pending.node);
      try {
        const answer = await this.fetchAnswer(question, pending);
        if (answer.conversation_id) this.state.conversationId = answer.conversation_id;
        const turn = { role: "bot", answer, rating: null };
        this.state.turns.push(turn);
        pending.node.replaceWith(this.renderAnswer(turn));
      } catch (error) {
        const text = error instanceof ApiError ? error.message : UNREACHABLE;
        this.state.turns.push({ role: "error", text });
        pending.node.replaceWith(this.renderError(text));
      } finally {
        this.save();
        this.busy = false;
        this.sendButton.disabled = false;
        this.messages.scrollTop = this.messages.scrollHeight;
      }
    }

    headers(extra) {
      const headers = { "Content-Type": "application/json", ...extra };
      if (this.key) headers.Authorization = `Bearer ${this.key}`;
      return headers;
    }

    async fetchAnswer(question, pending) {
      const body = { question };
      if (this.state.conversationId) body.conversation_id = this.state.conversationId;
      const response = await fetch(`${this.api}/v1/chat/stream`, {
        method: "POST",
        headers: this.headers({ Accept: "text/event-stream" }),
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new ApiError(await describeError(response));
      if (!response.body) throw new ApiError("This browser cannot read streamed answers.");
      return this.readStream(response.body.getReader(), pending);
    }

    async readStream(reader, pending) {
      const decoder = new TextDecoder("utf-8");
      let answer = null;
      const parser = new SseParser((event, data) => {
        if (event === "delta") pending.delta(JSON.parse(data).text || "");
        else if (event === "done") answer = JSON.parse(data);
        else if (event === "error") {
          const failure = JSON.parse(data).error || {};
          throw new ApiError(failure.message || "The answer could not be completed.");
        }
      });
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
          if (answer) break;
        }
        if (!answer) {
          parser.feed(decoder.decode());
          parser.end();
        }
      } finally {
        reader.cancel().catch(() => {});
      }
      if (!answer) throw new ApiError("The answer was interrupted. Please try again.");
      return answer;
    }

    renderPending() {
      const typing = h("span", { class: "typing", role: "status", "aria-label": "Answering…" },
        h("span"), h("span"), h("span"));
      const text = document.createTextNode("");
      const node = h("div", { class: "msg bot", "aria-busy": "true" }, typing, h("p", {}, text));
      return {
        node,
        delta(piece) {
          typing.remove();
          text.appendData(piece);
        },
      };
    }

    renderAnswer(turn) {
      const answer = turn.answer;
      const grounded = Boolean(answer.grounded);
      const citations = grounded && Array.isArray(answer.citations) ? answer.citations : [];
      const node = h("div", { class: grounded ? "msg bot" : "msg bot refused" });
      if (!grounded) node.append(h("p", { class: "label" }, "No answer found in the sources"));
      this.quoteCount = (this.quoteCount || 0) + 1;
      const quote = h("div", { class: "quote", id: `tradebot-quote-${this.quoteCount}`, hidden: true });
      const text = String(answer.answer || "");
      const body = grounded && answer.mode === "timeline"
        ? this.renderTimeline(text, citations, quote)
        : this.renderText(text, citations, quote);
      node.append(body, quote);
      if (answer.notice) node.append(h("p", { class: "notice" }, String(answer.notice)));
      if (grounded && answer.as_of) {
        node.append(h("p", { class: "asof" }, "As of ",
          h("time", { datetime: String(answer.as_of) }, String(answer.as_of))));
      }
      if (citations.length) node.append(this.renderSources(citations));
      const related = !grounded && Array.isArray(answer.related) ? answer.related : [];
      if (related.length) node.append(this.renderRelated(related));
      node.append(this.renderFeedback(turn, answer.conversation_id || this.state.conversationId));
      return node;
    }

    renderText(text, citations, quote) {
      const byNumber = new Map(citations.map((citation) => [Number(citation.n), citation]));
      const paragraph = h("p", { class: "text" });
      for (const part of text.split(/(\[\d+\])/)) {
        const citation = /^\[\d+\]$/.test(part) ? byNumber.get(Number(part.slice(1, -1))) : null;
        if (!citation) {
          if (part) paragraph.append(part);
          continue;
        }
        const button = h("button", {
          class: "cite", type: "button", "aria-expanded": "false", "aria-controls": quote.id,
        }, part);
        button.addEventListener("click", () => this.toggleQuote(button, citation, quote));
        paragraph.append(button);
      }
      return paragraph;
    }

    /** A timeline answer as a vertical list: one dated entry per line, the last "As of". */
    renderTimeline(text, citations, quote) {
      const list = h("ol", { class: "timeline", "aria-label": "Timeline" });
      for (const line of text.split("\n")) {
        const match = /^(?:- )?(As of )?(\d{4}-\d{2}-\d{2}): (.*)$/.exec(line);
        if (!match) {
          if (line.trim()) list.append(h("li", {}, this.renderText(line, citations, quote)));
          continue;
        }
        const [, now, day, rest] = match;
        list.append(h("li", { class: now ? "now" : null },
          h("time", { datetime: day }, now ? `As of ${day}` : day),
          this.renderText(rest, citations, quote)));
      }
      return list;
    }

    toggleQuote(button, citation, quote) {
      const wasOpen = button.getAttribute("aria-expanded") === "true";
      const scope = button.closest(".msg") || button.parentElement;
      for (const other of scope.querySelectorAll(".cite")) {
        other.setAttribute("aria-expanded", "false");
      }
      if (wasOpen) {
        quote.hidden = true;
        return;
      }
      button.setAttribute("aria-expanded", "true");
      const meta = [h("strong", {}, `[${citation.n}] `), link(String(citation.title || ""), citation.url)];
      if (citation.published_at) {
        meta.push(" · ", h("time", { datetime: citation.published_at }, String(citation.published_at)));
      }
      if (citation.source) meta.push(" · ", String(citation.source));
      quote.replaceChildren(h("blockquote", {}, String(citation.quote || "")),
        h("div", { class: "meta" }, ...meta));
      quote.hidden = false;
    }

    /** One line per article, in order of first citation: "[1][3] Title — source, date". */
    renderSources(citations) {
      const articles = new Map();
      for (const citation of citations) {
        const key = String(citation.doc_id ?? `n${citation.n}`);
        if (!articles.has(key)) articles.set(key, []);
        articles.get(key).push(citation);
      }
      const list = h("ol", { class: "sources", "aria-label": "Sources" });
      for (const group of articles.values()) {
        const first = group[0];
        const numbers = group.map((citation) => `[${citation.n}]`).join("");
        const details = [first.source, first.published_at].filter(Boolean).map(String);
        list.append(h("li", {}, `${numbers} `, link(String(first.title || ""), first.url),
          details.length ? ` — ${details.join(", ")}` : null));
      }
      return list;
    }

    /** Articles a reader may want next to a refusal: links, never citations. */
    renderRelated(related) {
      const list = h("ul", { "aria-label": "Related articles" });
      for (const article of related.slice(0, 3)) {
        list.append(h("li", {}, link(String(article.title || ""), article.url),
          article.published_at ? ` — ${String(article.published_at)}` : null));
      }
      return h("div", { class: "related" }, h("p", {}, "Related articles (not sources):"), list);
    }

    renderFeedback(turn, conversationId) {
      const status = h("span", { role: "status" });
      const make = (rating, label) => {
        const button = h("button", {
          class: rating, type: "button", "aria-label": label,
          "aria-pressed": String(turn.rating === rating),
        }, icon("thumb"));
        button.addEventListener("click", () => this.sendFeedback(turn, rating, box, status));
        return button;
      };
      const box = h("div", { class: "feedback" }, make("up", "Thumbs up"),
        make("down", "Thumbs down"), status);
      if (!conversationId) box.hidden = true;
      return box;
    }

    async sendFeedback(turn, rating, box, status) {
      const conversationId = turn.answer.conversation_id || this.state.conversationId;
      try {
        const response = await fetch(`${this.api}/v1/feedback`, {
          method: "POST",
          headers: this.headers({}),
          body: JSON.stringify({ conversation_id: conversationId, rating }),
        });
        if (!response.ok) throw new ApiError(await describeError(response));
        turn.rating = rating;
        this.save();
        for (const button of box.querySelectorAll("button")) {
          button.setAttribute("aria-pressed", String(button.classList.contains(rating)));
        }
        status.textContent = "Thanks for the feedback.";
      } catch (error) {
        status.textContent = error instanceof ApiError ? error.message : UNREACHABLE;
      }
    }
  }

  window.customElements.define(TAG, TradeChat);

  // Loaded by the embed tag: mount one widget carrying the tag's data-* settings.
  if (SCRIPT && SCRIPT.dataset.api !== undefined && !document.querySelector(TAG)) {
    const mount = () => {
      const widget = document.createElement(TAG);
      for (const [name, value] of Object.entries(SCRIPT.dataset)) widget.dataset[name] = value;
      document.body.append(widget);
    };
    if (document.body) mount();
    else document.addEventListener("DOMContentLoaded", mount, { once: true });
  }
})();
