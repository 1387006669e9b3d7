// libcurl, loaded at run time with dlopen: a daemon with no network source never maps libcurl and the TLS
// and protocol libraries it pulls in. The headers give the types and constants; every call goes through a
// typed wrapper (curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call).
#ifndef OSPREY_CCURL_H
#define OSPREY_CCURL_H

#include <curl/curl.h>
#include <stddef.h>

/// Loads libcurl.so.4 and initialises it once. Returns 0, or -1 with a reason in `error`.
int osprey_curl_load(char *error, size_t error_size);

CURL *osprey_curl_easy_init(void);
void osprey_curl_easy_cleanup(CURL *easy);
CURLcode osprey_curl_easy_setopt_long(CURL *easy, CURLoption option, long value);
CURLcode osprey_curl_easy_setopt_string(CURL *easy, CURLoption option, const char *value);
CURLcode osprey_curl_easy_setopt_pointer(CURL *easy, CURLoption option, void *value);
CURLcode osprey_curl_easy_setopt_offset(CURL *easy, CURLoption option, curl_off_t value);
CURLcode osprey_curl_easy_setopt_write(CURL *easy, CURLoption option, size_t (*callback)(char *, size_t, size_t, void *));
/// Lets `easy` hand its request to a connection once: libcurl re-sends a request whose reused connection
/// died before any byte of the answer ("Connection died, retrying a fresh connect"), and re-issues one on a
/// refused HTTP/2 stream; a pre-request callback counts the attempts in `attempts` and aborts every one after
/// the first (the transfer then ends with CURLE_ABORTED_BY_CALLBACK). `attempts` must outlive the transfer.
CURLcode osprey_curl_easy_send_at_most_once(CURL *easy, int *attempts);
CURLcode osprey_curl_easy_getinfo_long(CURL *easy, CURLINFO info, long *value);
CURLcode osprey_curl_easy_getinfo_pointer(CURL *easy, CURLINFO info, void **value);
const char *osprey_curl_easy_strerror(CURLcode code);

CURLM *osprey_curl_multi_init(void);
CURLMcode osprey_curl_multi_cleanup(CURLM *multi);
CURLMcode osprey_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
CURLMcode osprey_curl_multi_add_handle(CURLM *multi, CURL *easy);
CURLMcode osprey_curl_multi_remove_handle(CURLM *multi, CURL *easy);
CURLMcode osprey_curl_multi_perform(CURLM *multi, int *running);
CURLMcode osprey_curl_multi_poll(CURLM *multi, int timeout_ms, int *ready);
CURLMcode osprey_curl_multi_wakeup(CURLM *multi);
/// The next finished transfer: its handle and result, or 0 when none is left.
int osprey_curl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

struct curl_slist *osprey_curl_slist_append(struct curl_slist *list, const char *value);
void osprey_curl_slist_free_all(struct curl_slist *list);

/// "libcurl/7.88.1 OpenSSL/3.0.x …"
const char *osprey_curl_version(void);

#endif
