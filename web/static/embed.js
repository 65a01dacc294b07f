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
  var ZOOM = 1.0;  // CSS pixels per PDF point of a page image

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

  function docUrl(c) {
    return "api/documents/" + encodeURIComponent(c.doc_id);
  }

  function percent(v, of) {
    return (v / of * 100).toFixed(3) + "%";
  }

  function centre(frame) {
    var mark = frame.querySelector(".page-mark");
    if (!mark) return;
    frame.scrollLeft = mark.offsetLeft + mark.offsetWidth / 2 - frame.clientWidth / 2;
    frame.scrollTop = mark.offsetTop + mark.offsetHeight / 2 - frame.clientHeight / 2;
  }

  function pageView(c, box) {
    // The cited page as an image with the cell's or sentence's box over it,
    // placed in percent of the page size the API gives in PDF points.
    fetch(docUrl(c) + "/pages/" + c.page).then(function (r) {
      if (!r.ok) throw new Error("page " + c.page + " unavailable");
      return r.json();
    }).then(function (info) {
      box.setAttribute("data-page", info.page);
      box.setAttribute("data-width", info.width);
      box.setAttribute("data-height", info.height);
      var frame = el("div", "page-frame");
      var page = el("div", "page");
      page.style.width = (info.width * ZOOM).toFixed(0) + "px";
      page.style.aspectRatio = info.width + " / " + info.height;
      var img = el("img", "page-image");
      img.src = docUrl(c) + "/pages/" + c.page + ".png";
      img.alt = "p. " + c.page;
      page.appendChild(img);
      var boxes = c.boxes && c.boxes.length ? c.boxes : (c.bbox ? [c.bbox] : []);
      boxes.forEach(function (b) {
        var mark = el("span", "page-mark");
        mark.setAttribute("data-bbox", b.join(","));
        mark.style.left = percent(b[0], info.width);
        mark.style.top = percent(b[1], info.height);
        mark.style.width = percent(b[2] - b[0], info.width);
        mark.style.height = percent(b[3] - b[1], info.height);
        page.appendChild(mark);
      });
      frame.appendChild(page);
      box.appendChild(frame);
      centre(frame);
    }).catch(function (err) {
      box.appendChild(el("div", "msg error", String(err.message || err)));
    });
  }

  function citation(c, t) {
    var d = el("details", "citation");
    d.id = "cite-" + t + "-" + c.n;
    d.appendChild(el("summary", "", "[" + c.n + "] " + c.department + " · " + c.where +
      (c.page ? " · p. " + c.page : "")));
    d.appendChild(highlighted(c.quote, c.value));
    var meta = el("div", "source-meta", c.source + " · " + c.locator + " · ");
    var download = el("a", "download", "下载原文 Download");
    download.href = docUrl(c) + "/file";
    download.setAttribute("download", c.source);
    meta.appendChild(download);
    d.appendChild(meta);
    if (c.page) {
      var box = el("div", "page-view");
      d.appendChild(box);
      d.addEventListener("toggle", function () {
        if (d.open && !box.firstChild) pageView(c, box);
        else if (d.open) box.querySelectorAll(".page-frame").forEach(centre);
      });
    }
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
