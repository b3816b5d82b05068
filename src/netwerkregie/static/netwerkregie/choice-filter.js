// Long lists of checkboxes get a search box that hides the choices not matching what is typed.
// Without JavaScript the box stays hidden and the whole list scrolls; nothing depends on it.
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-filters]")) {
    const list = document.getElementById(input.dataset.filters);
    if (!list) continue;
    input.closest(".nr-choice-filter").hidden = false;
    input.addEventListener("input", () => {
      const wanted = input.value.trim().toLocaleLowerCase("nl");
      for (const choice of list.querySelectorAll(".nr-choice")) {
        const checked = choice.querySelector("input").checked;
        choice.hidden = wanted !== "" && !checked && !choice.textContent.toLocaleLowerCase("nl").includes(wanted);
      }
    });
  }
});
