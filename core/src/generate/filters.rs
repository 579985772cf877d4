//! The filters of minijinja's `builtins` feature that the templates use,
//! written here so that the engine is built without that feature: its other
//! filters, tests and functions (and the Unicode case tables they pull in)
//! stay out of the browser wizard. Each behaves as minijinja's filter of the
//! same name does for the values the templates pass.

use std::cmp::Ordering;

use minijinja::value::ValueKind;
use minijinja::{Error, ErrorKind, Value};

/// `length`: the number of items of a list or map, or characters of a text.
pub fn length(v: &Value) -> Result<usize, Error> {
    v.len().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("cannot calculate length of value of type {}", v.kind()),
        )
    })
}

/// `items`: a map's `[key, value]` pairs, in the map's order.
pub fn items(v: &Value) -> Result<Value, Error> {
    if v.kind() != ValueKind::Map {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "cannot convert value into pairs",
        ));
    }
    let mut pairs = Vec::new();
    for key in v.try_iter()? {
        let value = v.get_item(&key)?;
        pairs.push(Value::from(vec![key, value]));
    }
    Ok(Value::from(pairs))
}

/// `groupby(attribute)`: the items sorted by the attribute (texts compared without case,
/// the sort stable), then one `[grouper, list]` pair per run of equal attributes.
pub fn groupby(v: &Value, attribute: &str) -> Result<Value, Error> {
    let mut items: Vec<Value> = v.try_iter()?.collect();
    let key = |item: &Value| item.get_attr(attribute).unwrap_or_default();
    let order = |a: &Value, b: &Value| match (a.as_str(), b.as_str()) {
        (Some(a), Some(b)) => a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()),
        _ => a.partial_cmp(b).unwrap_or(Ordering::Equal),
    };
    items.sort_by(|a, b| order(&key(a), &key(b)));
    let mut groups: Vec<Value> = Vec::new();
    let mut current: Option<(Value, Vec<Value>)> = None;
    for item in items {
        let k = key(&item);
        match &mut current {
            Some((g, list)) if order(g, &k) == Ordering::Equal => list.push(item),
            _ => {
                if let Some((g, list)) = current.take() {
                    groups.push(Value::from(vec![g, Value::from(list)]));
                }
                current = Some((k, vec![item]));
            }
        }
    }
    if let Some((g, list)) = current {
        groups.push(Value::from(vec![g, Value::from(list)]));
    }
    Ok(Value::from(groups))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, ctx: Value) -> String {
        let mut env = minijinja::Environment::new();
        super::super::configure(&mut env);
        env.render_str(template, ctx).unwrap()
    }

    #[test]
    fn the_filters_behave_as_minijinjas() {
        let ctx = Value::from_serialize(serde_json::json!({
            "m": {"b": 1, "a": 2},
            "s": [
                {"name": "y", "k": 1}, {"name": "X", "k": 2}, {"name": "y", "k": 3},
                {"name": "x", "k": 4}
            ],
        }));
        assert_eq!(
            render(
                "{{ m|length }} {{ s|length }} {{ 'abc'|length }}",
                ctx.clone()
            ),
            "2 4 3"
        );
        assert_eq!(
            render(
                "{% for k, v in m|items %}{{ k|safe }}={{ v }};{% endfor %}",
                ctx.clone()
            ),
            "a=2;b=1;"
        );
        assert_eq!(
            render(
                "{% for n, e in s|groupby('name') %}{{ n|safe }}:{% for i in e %}{{ i.k }}{% endfor %};{% endfor %}",
                ctx
            ),
            "X:24;y:13;"
        );
    }
}
