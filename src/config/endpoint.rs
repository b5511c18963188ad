//! A chat webhook's address (`notify.webhook.url`), read into its parts when the config is
//! checked and again when a message is posted.

/// Where a webhook is: scheme, host, port and the path with its query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    /// The path and query, e.g. `/cgi-bin/webhook/send?key=…`.
    pub target: String,
}

impl Endpoint {
    /// Reads an `http://` or `https://` address; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Endpoint, String> {
        let url = url::Url::parse(text.trim())
            .map_err(|e| format!("\"{text}\" is not a web address ({e})"))?;
        let tls = match url.scheme() {
            "https" => true,
            "http" => false,
            other => {
                return Err(format!(
                    "\"{text}\": the address must start with https:// or http://, not {other}://"
                ))
            }
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("\"{text}\" names no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = url
            .port_or_known_default()
            .unwrap_or(if tls { 443 } else { 80 });
        let mut target = url.path().to_string();
        if let Some(q) = url.query() {
            target.push('?');
            target.push_str(q);
        }
        Ok(Endpoint {
            tls,
            host,
            port,
            target,
        })
    }

    /// The address with a query parameter added.
    pub fn with_query(&self, name: &str, value: &str) -> Endpoint {
        let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let sep = if self.target.contains('?') { '&' } else { '?' };
        Endpoint {
            target: format!("{}{sep}{name}={encoded}", self.target),
            ..self.clone()
        }
    }

    /// How the webhook is named in the outbox and in messages: scheme, host and path,
    /// without the query (which may hold a key).
    pub fn shown(&self) -> String {
        let path = self.target.split('?').next().unwrap_or("");
        format!(
            "{}://{}{path}",
            if self.tls { "https" } else { "http" },
            self.host
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_read_and_hide_their_query() {
        let e =
            Endpoint::parse("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc").unwrap();
        assert!(e.tls);
        assert_eq!(e.port, 443);
        assert_eq!(
            e.shown(),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
        );
        let e = Endpoint::parse("http://127.0.0.1:9000/hook").unwrap();
        assert_eq!((e.tls, e.port, e.target.as_str()), (false, 9000, "/hook"));
        assert_eq!(e.with_query("key", "a b").target, "/hook?key=a+b");
        assert!(Endpoint::parse("ftp://x/y")
            .unwrap_err()
            .contains("https://"));
        assert!(Endpoint::parse("not a url").is_err());
    }
}
