//! The stress view's scenarios as a form: a scenario a block, a shock a row (start, duration,
//! lever, factor), kept in step with the `scenarios` text (`name:START+DURATION,lever*factor/…`),
//! which stays the one source of truth: the form writes the text, the text goes through the same
//! rules as a link or the CLI, and the form is drawn again from the list that was taken.
//!
//! Element ids start with the view's prefix: `{prefix}shocks` (the fieldset),
//! `{prefix}shock-library` (the library scenarios not listed yet), `{prefix}shock-add-library`,
//! `{prefix}shock-add` (a scenario of your own); a block is `[data-scenario=i]`, a row
//! `[data-shock=j]` with inputs named `start`, `duration`, `lever`, `factor`.

use crate::dom::{by_id, el};
use flywheel_core::format::shortest;
use flywheel_core::policy::scenario::{Lever, Library, Scenario};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

/// One shock's row as the form holds it (text, as typed).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The shock it belongs to (a shock of several levers is a row a lever).
    pub group: usize,
    pub start: String,
    pub duration: String,
    pub lever: String,
    pub factor: String,
}

/// One scenario of the list as the form holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub name: String,
    /// A library scenario, listed by its name (its shocks are the library's).
    pub library: bool,
    pub rows: Vec<Row>,
}

/// The list's blocks: library scenarios by name, the others a row per shock and lever.
pub fn blocks(list: &[Scenario], library: &Library) -> Vec<Block> {
    list.iter()
        .map(|s| {
            let library = library.iter().any(|l| l == s);
            let rows = s
                .shocks
                .iter()
                .enumerate()
                .flat_map(|(group, k)| {
                    k.factors.iter().map(move |(lever, f)| Row {
                        group,
                        start: k.start.to_string(),
                        duration: k.duration.to_string(),
                        lever: lever.name().to_string(),
                        factor: shortest(*f),
                    })
                })
                .collect();
            Block {
                name: s.name.clone(),
                library,
                rows,
            }
        })
        .collect()
}

/// The list's text: library scenarios by name; a scenario of one's own written out, rows of one
/// shock (one after another, with the same start and duration) joined as the text writes them.
pub fn text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| {
            if b.library {
                return b.name.trim().to_string();
            }
            let mut shocks: Vec<String> = Vec::new();
            let mut last: Option<(usize, &str, &str)> = None;
            for r in &b.rows {
                let when = (r.group, r.start.trim(), r.duration.trim());
                let factor = format!("{}*{}", r.lever.trim(), r.factor.trim());
                match shocks.last_mut() {
                    Some(s) if last == Some(when) => {
                        s.push(',');
                        s.push_str(&factor);
                    }
                    _ => shocks.push(format!("{}+{},{factor}", when.1, when.2)),
                }
                last = Some(when);
            }
            format!("{}:{}", b.name.trim(), shocks.join("/"))
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// A name for a new scenario of one's own that the list does not use yet.
pub fn new_name(blocks: &[Block]) -> String {
    (1..)
        .map(|i| format!("shock{i}"))
        .find(|n| !blocks.iter().any(|b| &b.name == n))
        .unwrap_or_default()
}

/// The empty form (filled by [`show`]).
pub fn form(prefix: &str) -> Element {
    el("fieldset")
        .class("group shock-form")
        .id(&format!("{prefix}shocks"))
        .child(el("legend").text("Scenarios, shock by shock"))
        .child(el("p").class("note").text(
            "The scenarios above as a form: each shock starts at a step, lasts some steps and multiplies a lever (price, demand, arrivals or churn) by its factor. Editing here rewrites the text above, and the text the form.",
        ))
        .child(el("div").class("shock-list").id(&format!("{prefix}shock-list")))
        .child(
            el("div")
                .class("row-buttons shock-add")
                .child(
                    el("select")
                        .id(&format!("{prefix}shock-library"))
                        .attr("aria-label", "A scenario of the library to add"),
                )
                .child(
                    el("button")
                        .attr("type", "button")
                        .id(&format!("{prefix}shock-add-library"))
                        .text("Add"),
                )
                .child(
                    el("button")
                        .attr("type", "button")
                        .id(&format!("{prefix}shock-add"))
                        .text("Add a scenario of your own"),
                ),
        )
        .build()
}

fn input(name: &str, value: &str, label: &str, width: &str) -> Element {
    el("input")
        .attr("type", "text")
        .attr("inputmode", "decimal")
        .attr("name", name)
        .attr("aria-label", label)
        .attr("value", value)
        .attr("size", width)
        .build()
}

fn lever_select(chosen: &str, label: &str) -> Element {
    let mut s = el("select").attr("name", "lever").attr("aria-label", label);
    for l in Lever::ALL {
        let mut o = el("option").attr("value", l.name()).text(l.name());
        if l.name() == chosen {
            o = o.attr("selected", "");
        }
        s = s.child(o);
    }
    s.build()
}

fn action(label: &str, act: &str, title: &str) -> Element {
    el("button")
        .attr("type", "button")
        .class("small")
        .attr("data-action", act)
        .attr("title", title)
        .text(label)
        .build()
}

/// Draws the form for `blocks`; the library's other scenarios go in the chooser. `unit`: a
/// step's name (`month`).
pub fn show(prefix: &str, blocks: &[Block], library: &Library, unit: &str) {
    let Some(list) = by_id(&format!("{prefix}shock-list")) else {
        return;
    };
    list.set_inner_html("");
    for (i, b) in blocks.iter().enumerate() {
        let mut block = el("div")
            .class("shock-scenario")
            .attr("data-scenario", &i.to_string());
        let head = el("div").class("shock-head");
        let head = if b.library {
            head.child(el("strong").text(&b.name))
                .child(el("span").class("unit").text(" from the library"))
        } else {
            head.child(
                el("input")
                    .attr("type", "text")
                    .attr("name", "name")
                    .attr("aria-label", "The scenario's name")
                    .attr("value", &b.name)
                    .attr("size", "10"),
            )
        };
        block = block.child(head.child(action(
            "Remove",
            "remove-scenario",
            "Take this scenario off the list",
        )));
        if b.library {
            let about = library
                .iter()
                .find(|l| l.name == b.name)
                .map(|l| l.describe(unit))
                .unwrap_or_default();
            block = block.child(el("p").class("note").text(&about));
        } else {
            let mut table = el("div").class("shock-rows").child(
                el("div")
                    .class("shock-row shock-labels")
                    .attr("aria-hidden", "true")
                    .child(el("span").text(&format!("start ({unit})")))
                    .child(el("span").text(&format!("{unit}s")))
                    .child(el("span").text("lever"))
                    .child(el("span").text("× factor"))
                    .child(el("span")),
            );
            for (j, r) in b.rows.iter().enumerate() {
                let n = j + 1;
                table = table.child(
                    el("div")
                        .class("shock-row")
                        .attr("data-shock", &j.to_string())
                        .attr("data-group", &r.group.to_string())
                        .child(input(
                            "start",
                            &r.start,
                            &format!("Shock {n}: first {unit}"),
                            "4",
                        ))
                        .child(input(
                            "duration",
                            &r.duration,
                            &format!("Shock {n}: {unit}s it lasts"),
                            "4",
                        ))
                        .child(lever_select(&r.lever, &format!("Shock {n}: lever")))
                        .child(input(
                            "factor",
                            &r.factor,
                            &format!("Shock {n}: factor"),
                            "5",
                        ))
                        .child(action("×", "remove-shock", "Remove this shock")),
                );
            }
            block = block.child(table).child(action(
                "Add a shock",
                "add-shock",
                "Another shock in this scenario",
            ));
        }
        let _ = list.append_child(&block.build());
    }
    if let Some(s) = by_id(&format!("{prefix}shock-library"))
        .and_then(|e| e.dyn_into::<HtmlSelectElement>().ok())
    {
        s.set_inner_html("");
        let left: Vec<&Scenario> = library
            .iter()
            .filter(|l| !blocks.iter().any(|b| b.name == l.name))
            .collect();
        for l in &left {
            let _ = s.append_child(&el("option").attr("value", &l.name).text(&l.name).build());
        }
        s.set_disabled(left.is_empty());
        if let Some(b) = by_id(&format!("{prefix}shock-add-library")) {
            let _ = if left.is_empty() {
                b.set_attribute("disabled", "")
            } else {
                b.remove_attribute("disabled")
            };
        }
    }
}

fn value(parent: &Element, name: &str) -> String {
    let Ok(Some(e)) = parent.query_selector(&format!("[name={name}]")) else {
        return String::new();
    };
    if let Some(i) = e.dyn_ref::<HtmlInputElement>() {
        i.value()
    } else if let Some(s) = e.dyn_ref::<HtmlSelectElement>() {
        s.value()
    } else {
        String::new()
    }
}

/// The blocks as the form shows them now (what was typed, valid or not). `shown`: the blocks
/// the form was drawn from (which are the library's).
pub fn read(prefix: &str, shown: &[Block]) -> Vec<Block> {
    let Some(list) = by_id(&format!("{prefix}shock-list")) else {
        return shown.to_vec();
    };
    let Ok(nodes) = list.query_selector_all("[data-scenario]") else {
        return shown.to_vec();
    };
    let mut out = Vec::new();
    for i in 0..nodes.length() {
        let Some(block) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let Some(was) = block
            .get_attribute("data-scenario")
            .and_then(|s| s.parse::<usize>().ok())
            .and_then(|k| shown.get(k))
        else {
            continue;
        };
        if was.library {
            out.push(was.clone());
            continue;
        }
        let mut rows = Vec::new();
        if let Ok(rs) = block.query_selector_all("[data-shock]") {
            for j in 0..rs.length() {
                if let Some(r) = rs.item(j).and_then(|n| n.dyn_into::<Element>().ok()) {
                    rows.push(Row {
                        group: r
                            .get_attribute("data-group")
                            .and_then(|g| g.parse().ok())
                            .unwrap_or(usize::MAX - j as usize),
                        start: value(&r, "start"),
                        duration: value(&r, "duration"),
                        lever: value(&r, "lever"),
                        factor: value(&r, "factor"),
                    });
                }
            }
        }
        out.push(Block {
            name: value(&block, "name"),
            library: false,
            rows,
        });
    }
    out
}

/// Where an action button sits: its scenario and shock (if in a row).
pub fn place(button: &Element) -> (Option<usize>, Option<usize>) {
    let index = |attr: &str| {
        button
            .closest(&format!("[{attr}]"))
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute(attr))
            .and_then(|s| s.parse::<usize>().ok())
    };
    (index("data-scenario"), index("data-shock"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flywheel_core::policy::scenario::{list_text, parse_list, standard_library};

    /// Text → form → text gives the list back as the core writes it, for library names,
    /// shocks of several levers and several shocks.
    #[test]
    fn the_form_and_the_text_say_the_same() {
        let lib = standard_library(24, 1);
        for raw in [
            "bull;bear",
            "bull;crash:6+1,price*0.5,churn*2/12+3,demand*0.8",
            "mine:1+24,arrivals*3",
            "a:2+2,price*0.9/2+2,demand*1.5/5+1,churn*4",
        ] {
            let list = parse_list(raw, &lib).unwrap();
            let b = blocks(&list, &lib);
            let again = parse_list(&text(&b), &lib).unwrap();
            assert_eq!(list_text(&again, &lib), list_text(&list, &lib), "{raw}");
        }
        let b = blocks(
            &parse_list("bull;x:3+2,price*0.5,churn*2", &lib).unwrap(),
            &lib,
        );
        assert!(b[0].library && !b[0].rows.is_empty() && !b[1].library);
        assert_eq!(b[1].rows.len(), 2, "a row a lever");
        assert_eq!(new_name(&b), "shock1");
    }
}
