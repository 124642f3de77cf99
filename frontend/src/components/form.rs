//! The pieces of the forms, by concern: `errors` (field errors, the summary's cases, spreading
//! an API error over them, checks before sending), `fields` (labelled inputs and the blocks of
//! fields the account forms share), `feedback` (the summary, the notice, the submit button, the
//! link to the other sign-in page) and `sign_in` (the password/code switch and the
//! account-and-password fields).

mod errors;
mod feedback;
mod fields;
mod sign_in;

pub use errors::{FieldErrors, FormError, FormState, confirmation_error, missing, report};
pub use feedback::{FormAlert, FormNotice, SubmitButton, SwitchLink};
pub use fields::{
    CodeField, ContactField, Field, FieldInput, NewPasswordFields, contact_autocomplete,
    error_view, hint_view,
};
pub use sign_in::{PasswordSignInFields, SignInForm, SignInMode, SignInModes};
