// The view of coopcourse.components.rows.RowsEditor: a whole list of rows drawn from one widget
// model. Every word shown comes from the kernel (translated there); every check is made there.
// This file only draws, sends what is typed or pressed, and keeps the keyboard focus in place.

const SR_ONLY = "coop-sr-only";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, icon, tooltip) {
  const node = element("button", "jupyter-widgets jupyter-button widget-button");
  node.type = "button";
  if (tooltip) node.title = tooltip;
  const glyph = element("i", `fa fa-${icon}`);
  glyph.setAttribute("aria-hidden", "true");
  node.append(glyph, document.createTextNode(label));
  return node;
}

function render({ model, el }) {
  // Unique on the page: each editor may load this module afresh, so a counter here would repeat
  // (and crypto.randomUUID needs https, which a room's network does not have).
  const id = `coop-rows-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  el.classList.add("coop-rows-view");
  const caption = element("span", "coop-rows-label");
  const list = element("div", "coop-rows-list");
  const message = element("div", "coop-rows-message");
  const add = button("", "plus");
  add.classList.add("coop-rows-add");
  el.append(caption, list, add, message);

  // What the model last said for each cell: a field is only rewritten when the kernel changed
  // it, so what a learner is typing right now is never overwritten by an answer to an earlier edit.
  let shown = [];
  let rows = [];
  let focusAfter = null;

  const columns = () => model.get("column_specs");

  function send(content) {
    model.send(content);
  }

  function fieldId(row, column) {
    return `${id}-r${row}-c${column}`;
  }

  function makeField(row, column, spec) {
    const field = element("div", "coop-field");
    const box = element("div", "jupyter-widgets widget-inline-hbox coop-cell");
    box.style.width = spec.width;
    box.style.maxWidth = "100%";
    const label = element("label", "widget-label", spec.label);
    label.style.width = "initial";
    label.htmlFor = fieldId(row, column);
    let input;
    if (spec.kind === "choice") {
      box.classList.add("widget-dropdown");
      input = element("select");
      for (const [text, value] of spec.options) {
        const option = element("option", "", text);
        option.value = value;
        input.append(option);
      }
    } else {
      box.classList.add("widget-text");
      input = element("input", "widget-input");
      input.type = "text";
    }
    input.id = fieldId(row, column);
    box.append(label, input);
    field.append(box);
    return { field, input };
  }

  function makeRow(index) {
    const node = element("fieldset", "coop-row");
    const legend = element("legend", SR_ONLY);
    legend.id = `${id}-row-${index}`;
    node.append(legend);
    const cells = columns().map((spec, column) => {
      const cell = makeField(index, column, spec);
      cell.input.addEventListener("change", () => {
        const at = rows.indexOf(node);
        // Forgotten until the kernel answers: if it cannot take this text, its answer is drawn.
        shown[at][column] = null;
        send({ event: "typed", row: at, column, text: cell.input.value, revision: model.get("revision") });
      });
      node.append(cell.field);
      return cell;
    });
    const remove = button("", "trash");
    remove.classList.add("coop-rows-remove");
    remove.addEventListener("click", () => {
      const at = rows.indexOf(node);
      focusAfter = { removed: at };
      send({ event: "remove", row: at, revision: model.get("revision") });
    });
    node.append(remove);
    node._coop = { legend, cells, remove };
    return node;
  }

  function setError(cell, describedBy, error) {
    let note = cell.field.querySelector(".coop-field-error");
    if (error) {
      if (!note) {
        note = element("span", "coop-field-error");
        note.setAttribute("role", "alert");
        note.id = `${cell.input.id}-error`;
        cell.field.append(note);
      }
      if (note.textContent !== error) note.textContent = error;
      cell.input.setAttribute("aria-invalid", "true");
      cell.input.setAttribute("aria-describedby", `${describedBy} ${note.id}`);
    } else {
      if (note) note.remove();
      cell.input.removeAttribute("aria-invalid");
      cell.input.setAttribute("aria-describedby", describedBy);
    }
  }

  function draw() {
    caption.textContent = model.get("label");
    add.lastChild.textContent = model.get("add_label");
    add.title = model.get("add_tooltip");
    const entries = model.get("entries");
    const errors = model.get("errors");
    const names = model.get("row_names");
    const removes = model.get("remove_labels");
    // Rows are only added or removed at the end of the list's nodes; the nodes that stay keep
    // their fields (and the focus in them).
    while (rows.length > entries.length) {
      rows.pop().remove();
      shown.pop();
    }
    while (rows.length < entries.length) {
      const node = makeRow(rows.length);
      list.append(node);
      rows.push(node);
      shown.push([]);
    }
    rows.forEach((node, r) => {
      const { legend, cells, remove } = node._coop;
      legend.textContent = names[r] || "";
      remove.lastChild.textContent = removes[r] || "";
      cells.forEach((cell, c) => {
        const text = entries[r][c] ?? "";
        if (shown[r][c] !== text) {
          if (cell.input.value !== text) cell.input.value = text;
          shown[r][c] = text;
        }
        setError(cell, legend.id, (errors[r] && errors[r][c]) || "");
      });
    });
    const said = model.get("message");
    if (said) {
      let note = message.firstChild;
      if (!note) {
        note = element("span", "coop-field-error");
        note.setAttribute("role", "alert");
        message.append(note);
      }
      note.textContent = said;
    } else {
      message.replaceChildren();
    }
    restoreFocus();
  }

  function restoreFocus() {
    if (!focusAfter) return;
    const wanted = focusAfter;
    focusAfter = null;
    if (wanted.added !== undefined && rows.length > wanted.added) {
      const first = rows[rows.length - 1]._coop.cells[0];
      if (first) first.input.focus();
    } else if (wanted.removed !== undefined) {
      // Focus stays where the removed row was: on the next row's remove button, else the
      // previous row's, else on "Add a row".
      const next = rows[Math.min(wanted.removed, rows.length - 1)];
      (next ? next._coop.remove : add).focus();
    }
  }

  add.addEventListener("click", () => {
    focusAfter = { added: rows.length };
    send({ event: "add" });
  });

  const redraw = () => draw();
  // The kernel asks for a redraw when it could not take a change (sent before the rows moved).
  const answer = (content) => {
    if (content && content.event === "redraw") {
      shown = shown.map(() => []);
      draw();
    }
  };
  model.on("msg:custom", answer);
  const names = ["entries", "errors", "row_names", "remove_labels", "message", "label", "add_label", "add_tooltip"];
  for (const name of names) model.on(`change:${name}`, redraw);
  draw();
  return () => {
    for (const name of names) model.off(`change:${name}`, redraw);
    model.off("msg:custom", answer);
  };
}

export default { render };
