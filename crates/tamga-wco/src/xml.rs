//! A small, owned element tree: enough to map WCO DM documents. Names are local (prefixes
//! dropped); each element keeps the namespace its name resolves to, so the intake can check it.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// The deepest nesting accepted; WCO DM declarations need about ten levels.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    /// Local name, without namespace prefix.
    pub name: String,
    /// The namespace URI the element's name resolves to; empty when it has none (or its prefix
    /// is not declared).
    pub namespace: String,
    pub attributes: Vec<(String, String)>,
    /// The text directly inside the element, trimmed.
    pub text: String,
    pub children: Vec<Node>,
}

/// Why a document could not be read, and where (byte offset).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("XML at byte {position}: {message}")]
pub struct XmlError {
    pub position: u64,
    pub message: String,
}

impl Node {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`.
    pub fn all<'n>(&'n self, name: &'n str) -> impl Iterator<Item = &'n Node> + 'n {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The node at a path of child names.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, name| node.child(name))
    }

    /// The non-empty text at a path.
    pub fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path)
            .map(|n| n.text.as_str())
            .filter(|t| !t.is_empty())
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every descendant named `name`, depth first.
    pub fn descendants<'n>(&'n self, name: &'n str, out: &mut Vec<&'n Node>) {
        for child in &self.children {
            if child.name == name {
                out.push(child);
            }
            child.descendants(name, out);
        }
    }
}

fn local(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

/// Reads a whole document into its root element.
pub fn parse(text: &str) -> Result<Node, XmlError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().trim_text(true);
    let fail = |reader: &NsReader<&[u8]>, message: String| XmlError {
        position: reader.buffer_position(),
        message,
    };
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let (namespace, event) = match reader.read_resolved_event() {
            Ok((namespace, event)) => (resolved(&namespace), event),
            Err(e) => {
                let message = e.to_string();
                return Err(fail(&reader, message));
            }
        };
        if matches!(event, Event::Eof) {
            break;
        }
        take(&mut stack, event, &namespace).map_err(|m| fail(&reader, m))?;
    }
    let mut document = stack
        .pop()
        .filter(|_| stack.is_empty())
        .ok_or_else(|| fail(&reader, "the document ends inside an element".into()))?;
    if document.children.len() != 1 {
        return Err(fail(
            &reader,
            format!(
                "a document has one root element, found {}",
                document.children.len()
            ),
        ));
    }
    Ok(document.children.remove(0))
}

/// Adds one event to the tree under construction: `stack` holds the open elements, the
/// document itself at the bottom.
fn take(stack: &mut Vec<Node>, event: Event<'_>, namespace: &str) -> Result<(), String> {
    match event {
        Event::Start(e) => {
            if stack.len() > MAX_DEPTH {
                return Err(format!("nested deeper than {MAX_DEPTH} elements"));
            }
            stack.push(element(&e, namespace)?);
        }
        Event::Empty(e) => {
            let node = element(&e, namespace)?;
            if let Some(parent) = stack.last_mut() {
                parent.children.push(node);
            }
        }
        Event::Text(t) => {
            let text = t.unescape().map_err(|e| e.to_string())?;
            if let Some(node) = stack.last_mut() {
                node.text.push_str(text.trim());
            }
        }
        Event::CData(c) => {
            if let Some(node) = stack.last_mut() {
                node.text
                    .push_str(String::from_utf8_lossy(&c.into_inner()).trim());
            }
        }
        Event::End(_) => {
            let node = stack.pop().ok_or("an end tag without a start")?;
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => return Err("an end tag without a start".into()),
            }
        }
        _ => {}
    }
    Ok(())
}

/// The namespace URI a name resolved to; empty for none or an undeclared prefix.
fn resolved(namespace: &ResolveResult<'_>) -> String {
    match namespace {
        ResolveResult::Bound(ns) => local(ns.as_ref()),
        ResolveResult::Unbound | ResolveResult::Unknown(_) => String::new(),
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>, namespace: &str) -> Result<Node, String> {
    let mut node = Node {
        name: local(e.local_name().as_ref()),
        namespace: namespace.to_owned(),
        ..Node::default()
    };
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let value = attribute.unescape_value().map_err(|e| e.to_string())?;
        node.attributes.push((
            local(attribute.key.local_name().as_ref()),
            value.into_owned(),
        ));
    }
    Ok(node)
}
