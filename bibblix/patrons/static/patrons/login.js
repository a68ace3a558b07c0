// The login page: move focus where the child should look, to the error after a refusal
// (role=alert also reads it out), otherwise to the first empty field. "Choose another
// municipality" forgets the one this device remembered.
(function () {
  const error = document.querySelector("[data-login-error]");
  if (error) {
    error.focus();
  } else {
    const empty = Array.from(document.querySelectorAll("[data-login-form] .big-input, [data-login-form] select"))
      .find((input) => !input.value);
    if (empty) empty.focus();
  }
  const chooseOther = document.querySelector("[data-choose-other]");
  if (chooseOther) {
    chooseOther.addEventListener("click", () => {
      localStorage.removeItem("bibblix.municipality");
    });
  }
})();
