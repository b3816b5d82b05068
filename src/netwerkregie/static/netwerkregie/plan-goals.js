// The support plan form: each intervention's "serves goal" list follows the goals as they are typed.
// Without JavaScript the list shows the goals as last saved or refreshed ("Add a goal" refreshes it).
function refreshGoalChoices(form) {
  const goals = [...form.querySelectorAll("textarea[name^='goals-'][name$='-text'], input[name^='goals-'][name$='-text']")]
    .map((field, index) => ({ number: index + 1, text: field.value.trim() }))
    .filter((goal) => goal.text !== "");
  for (const select of form.querySelectorAll("select[name^='interventions-'][name$='-goal']")) {
    const chosen = select.value;
    const empty = select.options[0];
    select.replaceChildren(empty);
    for (const goal of goals) {
      const option = new Option(`${goal.number}. ${goal.text.slice(0, 80)}`, String(goal.number));
      option.selected = String(goal.number) === chosen;
      select.add(option);
    }
  }
}

document.addEventListener("input", (event) => {
  const form = event.target.closest("#plan-form");
  if (form && /^goals-\d+-text$/.test(event.target.name)) refreshGoalChoices(form);
});
