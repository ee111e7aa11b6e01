//! Who sent a report, as the registry seals it. A detainee identified as the sender of a
//! text can be punished, so these strings only ever leave the generator sealed. Phone
//! numbers are masked and synthetic.

use crate::dice::Dice;
use crate::nationality::Country;

fn digits(dice: &mut Dice, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + dice.below(10) as u8))
        .collect()
}

/// A masked phone number in the style of the country.
fn phone(country: Country, dice: &mut Dice) -> String {
    let (a, b) = (digits(dice, 2), digits(dice, 2));
    match country {
        Country::Belgium => format!("+32 4xx xx {a} {b}"),
        Country::France => format!("+33 6 xx xx {a} {b}"),
        Country::Netherlands => format!("+31 6 xx xx {a} {b}"),
        Country::Germany | Country::Austria => format!("+49 15x xxx {a}{b}"),
        Country::UnitedKingdom => format!("+44 7xxx xx{a}{b}"),
        Country::UnitedStates | Country::Canada => format!("+1 xxx xxx {a}{b}"),
        Country::Sweden | Country::Denmark => format!("+46 7x xxx {a} {b}"),
        Country::Russia | Country::Kazakhstan => format!("+7 9xx xxx {a} {b}"),
        Country::Tunisia => format!("+216 xx xxx {a}{}", digits(dice, 1)),
        Country::Morocco => format!("+212 6xx xx {a} {b}"),
        _ => format!("+90 5xx xxx {a} {b}"),
    }
}

/// The sender of a text, voice note or call about a woman from `country`.
pub fn messenger(country: Country, dice: &mut Dice) -> String {
    match dice.below(6) {
        0 => format!(
            "illicit phone of the detainee herself, +963 9xx xxx {}",
            digits(dice, 3)
        ),
        1 => format!("phone {}, sister of detainee", phone(Country::Turkey, dice)),
        2 | 3 => {
            let relation = *dice.pick(&[
                "mother of detainee",
                "sister of detainee",
                "brother of detainee",
                "father of detainee",
                "aunt of detainee",
            ]);
            format!("phone {}, {relation}", phone(country, dice))
        }
        4 => format!(
            "another detainee of the camp, messaging app, +963 9xx xxx {}",
            digits(dice, 3)
        ),
        _ => format!(
            "driver who took families north, via a relative, {}",
            phone(Country::Turkey, dice)
        ),
    }
}

pub fn journalist(dice: &mut Dice) -> &'static str {
    dice.draw(&[
        "journalist, regional news outlet",
        "freelance journalist on the Turkish side of the border",
        "wire-agency correspondent, Akçakale",
        "local reporter, Tal Abyad",
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_masked() {
        let mut dice = Dice::new(4);
        for c in [Country::Belgium, Country::France, Country::Iraq] {
            for _ in 0..20 {
                let m = messenger(c, &mut dice);
                assert!(m.contains('x'), "{m}");
            }
        }
    }
}
