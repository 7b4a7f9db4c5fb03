// The view of coopcourse.components.question.Quiz: a whole self-check drawn from one widget
// model. Every word and every piece of markup shown comes from the kernel (translated and
// escaped there); every check is made there. This file only draws the controls, sends what is
// chosen, typed or pressed, and keeps the keyboard focus where the learner is.

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(icon, primary) {
  const node = element("button", "jupyter-widgets jupyter-button widget-button");
  if (primary) node.classList.add("mod-primary");
  node.type = "button";
  const glyph = element("i", `fa fa-${icon}`);
  glyph.setAttribute("aria-hidden", "true");
  node.append(glyph, document.createTextNode(""));
  return node;
}

function setLabel(node, label) {
  if (node.lastChild.textContent !== label) node.lastChild.textContent = label;
}

// Markup from the kernel, replaced only when it changed: a live region rewritten with the same
// words would be read out again.
function setMarkup(node, markup) {
  if (node._coopMarkup !== markup) {
    node.innerHTML = markup;
    node._coopMarkup = markup;
  }
}

function render({ model, el }) {
  // Unique on the page: each quiz may load this module afresh, so a counter here would repeat.
  const id = `coop-quiz-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  el.classList.add("coop-quiz-view");
  const oral = element("label", "coop-quiz-oral");
  const oralBox = element("input");
  oralBox.type = "checkbox";
  const oralText = element("span");
  oral.append(oralBox, oralText);
  const list = element("div", "coop-quiz-cards");
  const score = element("div", "coop-quiz-score");
  el.append(oral, list, score);

  let cards = [];
  let focusAfterVote = null;

  oralBox.addEventListener("change", () => {
    model.set("oral", oralBox.checked);
    model.save_changes();
  });

  function send(index, event, value) {
    model.send(value === undefined ? { event, card: index } : { event, card: index, value });
  }

  function makeCard(spec, index) {
    const node = element("div", "coop-question-card");
    const prompt = element("div", "coop-quiz-prompt");
    setMarkup(prompt, spec.prompt);
    const answering = element("div", "coop-quiz-answering");
    let radios = [];
    let input = null;
    let error = null;
    let answerBox;
    if (spec.kind === "choice") {
      answerBox = element("fieldset", "coop-quiz-choices");
      answerBox.append(element("legend", "widget-label", spec.answer_label));
      radios = spec.choices.map(([text, value], c) => {
        const option = element("label", "coop-quiz-choice");
        const radio = element("input");
        radio.type = "radio";
        radio.name = `${id}-q${index}`;
        radio.value = value;
        radio.id = `${id}-q${index}-c${c}`;
        radio.addEventListener("change", () => {
          if (radio.checked) send(index, "chosen", value);
        });
        option.append(radio, element("span", "", text));
        answerBox.append(option);
        return radio;
      });
    } else {
      answerBox = element("div", "coop-field coop-quiz-number");
      const box = element("div", "jupyter-widgets widget-inline-hbox widget-text");
      const label = element("label", "widget-label", spec.answer_label);
      label.style.width = "initial"; // as wide as its words, like the course's other fields
      box.style.width = "30em";
      box.style.maxWidth = "100%";
      input = element("input", "widget-input");
      input.type = "text";
      input.id = `${id}-q${index}-answer`;
      label.htmlFor = input.id;
      box.append(label, input);
      error = element("span", "coop-field-error");
      error.setAttribute("role", "alert");
      error.id = `${input.id}-error`;
      error.hidden = true;
      answerBox.append(box, error);
      input.addEventListener("change", () => {
        node._coop.typed = null; // forgotten until the kernel answers
        send(index, "typed", input.value);
      });
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          send(index, "typed", input.value);
          send(index, "check");
        }
      });
    }
    const buttons = element("div", "coop-quiz-buttons");
    const check = button("check", true);
    setLabel(check, spec.check_label);
    const hint = button("lightbulb-o");
    const explain = button("book");
    setLabel(explain, spec.explain_label);
    buttons.append(check, hint, explain);
    answering.append(answerBox, buttons);
    check.addEventListener("click", () => send(index, "check"));
    hint.addEventListener("click", () => send(index, "hint"));
    explain.addEventListener("click", () => send(index, "explain"));

    const voting = element("div", "coop-quiz-voting");
    const listing = element("div");
    setMarkup(listing, spec.voting);
    const voted = button("hand-paper-o");
    setLabel(voted, spec.voted_label);
    voted.addEventListener("click", () => {
      focusAfterVote = index;
      send(index, "voted");
    });
    voting.append(listing, voted);

    const feedback = element("div", "coop-quiz-feedback");
    const hints = element("div", "coop-quiz-hints");
    const explanation = element("div", "coop-quiz-explanation");
    node.append(prompt, answering, voting, feedback, hints, explanation);
    node._coop = { answering, voting, radios, input, error, hint, explain, feedback, hints, explanation, typed: null };
    return node;
  }

  function drawCard(node, state) {
    const parts = node._coop;
    parts.answering.hidden = state.voting;
    parts.voting.hidden = !state.voting;
    for (const radio of parts.radios) {
      const wanted = radio.value === state.chosen;
      if (radio.checked !== wanted) radio.checked = wanted;
    }
    if (parts.input) {
      // Rewritten only when the kernel's text changed, so what is being typed is never lost.
      if (parts.typed !== state.typed) {
        if (parts.input.value !== state.typed) parts.input.value = state.typed;
        parts.typed = state.typed;
      }
      parts.error.textContent = state.error;
      parts.error.hidden = !state.error;
      if (state.error) {
        parts.input.setAttribute("aria-invalid", "true");
        parts.input.setAttribute("aria-describedby", parts.error.id);
      } else {
        parts.input.removeAttribute("aria-invalid");
        parts.input.removeAttribute("aria-describedby");
      }
    }
    setLabel(parts.hint, state.hint_label);
    parts.hint.disabled = state.hint_disabled;
    parts.explain.disabled = state.explain_disabled;
    setMarkup(parts.feedback, state.feedback);
    setMarkup(parts.hints, state.hints);
    setMarkup(parts.explanation, state.explanation);
  }

  function draw() {
    const specs = model.get("card_specs");
    if (cards.length !== specs.length) {
      cards = specs.map(makeCard);
      list.replaceChildren(...cards);
    }
    oralText.textContent = model.get("oral_label");
    oralBox.checked = model.get("oral");
    model.get("card_states").forEach((state, index) => {
      if (cards[index]) drawCard(cards[index], state);
    });
    setMarkup(score, model.get("score_html"));
    if (focusAfterVote !== null && cards[focusAfterVote] && !cards[focusAfterVote]._coop.answering.hidden) {
      const parts = cards[focusAfterVote]._coop;
      (parts.radios[0] || parts.input).focus();
      focusAfterVote = null;
    }
  }

  const redraw = () => draw();
  const names = ["card_specs", "card_states", "score_html", "oral", "oral_label"];
  for (const name of names) model.on(`change:${name}`, redraw);
  draw();
  return () => {
    for (const name of names) model.off(`change:${name}`, redraw);
  };
}

export default { render };
