// The /embed chat: calls /api/ask and builds the answer with DOM nodes and
// textContent only, so nothing from a document or a question becomes markup.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("ask-form");
  var input = document.getElementById("question");
  var history = [];
  var turn = 0;
  var NUMBER = /\d{1,3}(?:, ?\d{3})+(?:\. ?\d+)?|\d+(?:\. ?\d+)?/g;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function highlighted(quote, value) {
    // The quote as text nodes, each printing of `value` inside a <mark>.
    var box = el("blockquote");
    var last = 0, m;
    NUMBER.lastIndex = 0;
    while (value !== null && (m = NUMBER.exec(quote)) !== null) {
      var parsed = parseFloat(m[0].replace(/[, ]/g, ""));
      if (Math.abs(parsed - value) > 0.005) continue;
      box.appendChild(document.createTextNode(quote.slice(last, m.index)));
      box.appendChild(el("mark", "", m[0]));
      last = m.index + m[0].length;
    }
    box.appendChild(document.createTextNode(quote.slice(last)));
    return box;
  }

  function citation(c, t) {
    var d = el("details", "citation");
    d.id = "cite-" + t + "-" + c.n;
    d.appendChild(el("summary", "", "[" + c.n + "] " + c.department + " · " + c.where));
    d.appendChild(el("div", "", c.source + " · " + c.locator));
    d.appendChild(highlighted(c.quote, c.value));
    return d;
  }

  function answerNode(data, t) {
    var box = el("div", "msg bot");
    var parts = data.answer.split(/(\[\d+\])/);
    parts.forEach(function (part) {
      var m = /^\[(\d+)\]$/.exec(part);
      if (!m) { box.appendChild(document.createTextNode(part)); return; }
      var link = el("a", "cite", part);
      link.href = "#cite-" + t + "-" + m[1];
      link.addEventListener("click", function (ev) {
        ev.preventDefault();
        var target = document.getElementById("cite-" + t + "-" + m[1]);
        if (target) { target.open = true; target.scrollIntoView({block: "nearest"}); }
      });
      box.appendChild(link);
    });
    data.citations.forEach(function (c) { box.appendChild(citation(c, t)); });
    return box;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var question = input.value.trim();
    if (!question) return;
    input.value = "";
    log.appendChild(el("div", "msg user", question));
    var t = ++turn;
    fetch("api/ask", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({question: question, history: history.slice(-10)})
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(typeof data.detail === "string" ? data.detail : r.statusText);
        return data;
      });
    }).then(function (data) {
      history.push({q: question, a: data.answer});
      log.appendChild(answerNode(data, t));
      log.scrollTop = log.scrollHeight;
    }).catch(function (err) {
      log.appendChild(el("div", "msg error", String(err.message || err)));
    });
  });
})();
