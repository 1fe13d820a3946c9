//! "Numéro d'entreprise (BCE) ou RCS" as typed in the registration form: never a panic, and a
//! number that is accepted reads back as itself from its stored and its written forms.
#![no_main]

use domain::org::model::Country;
use domain::org::rules::EnterpriseNumber;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    for country in [Country::BE, Country::LU] {
        if let Ok(number) = EnterpriseNumber::parse(country, input) {
            assert_eq!(number.country(), country);
            assert_eq!(EnterpriseNumber::parse(country, number.as_str()).as_ref(), Ok(&number));
            assert_eq!(
                EnterpriseNumber::parse(country, &number.to_string()).as_ref(),
                Ok(&number)
            );
            if country == Country::BE {
                let digits = number.as_str();
                assert!(
                    digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()),
                    "{digits}"
                );
            }
        }
    }
});
