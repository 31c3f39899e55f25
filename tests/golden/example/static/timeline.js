/* Enhancement only: a search box that narrows the events on this page as you type.
   Without JavaScript the box stays hidden and every event is shown; the tag and source filters are
   plain links to pages of their own. No request is made and nothing is stored. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  if (!box || !input || !status) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("ol.events > li"));
  var texts = items.map(function (item) { return item.textContent.toLowerCase(); });
  var groups = Array.prototype.slice.call(document.querySelectorAll("li.month, li.period"));

  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item, i) {
      var match = words.every(function (word) { return texts[i].indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    // A month or year with nothing left to show is hidden too, so no empty heading remains.
    groups.forEach(function (group) {
      group.hidden = group.querySelector("ol.events > li:not([hidden])") === null;
    });
    var template = status.getAttribute("data-template") || "{shown} of {total} events match.";
    status.textContent = words.length ? template.replace("{shown}", shown).replace("{total}", items.length) : "";
  }

  box.hidden = false;
  input.addEventListener("input", apply);
  apply();
}());
