#include "ccurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    char *(*version)(void);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256];

#define RESOLVE(field, symbol)                                                              \
    do {                                                                                    \
        *(void **)(&api.field) = dlsym(library, symbol);                                    \
        if (!api.field) {                                                                   \
            snprintf(load_error, sizeof load_error, "libcurl.so.4 has no symbol %s", symbol); \
            return;                                                                         \
        }                                                                                   \
    } while (0)

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(load_error, sizeof load_error, "cannot load libcurl.so.4 (install the libcurl4 package): %s", dlerror());
        return;
    }
    RESOLVE(global_init, "curl_global_init");
    RESOLVE(easy_init, "curl_easy_init");
    RESOLVE(easy_cleanup, "curl_easy_cleanup");
    RESOLVE(easy_setopt, "curl_easy_setopt");
    RESOLVE(easy_getinfo, "curl_easy_getinfo");
    RESOLVE(easy_strerror, "curl_easy_strerror");
    RESOLVE(multi_init, "curl_multi_init");
    RESOLVE(multi_cleanup, "curl_multi_cleanup");
    RESOLVE(multi_setopt, "curl_multi_setopt");
    RESOLVE(multi_add_handle, "curl_multi_add_handle");
    RESOLVE(multi_remove_handle, "curl_multi_remove_handle");
    RESOLVE(multi_perform, "curl_multi_perform");
    RESOLVE(multi_poll, "curl_multi_poll");
    RESOLVE(multi_wakeup, "curl_multi_wakeup");
    RESOLVE(multi_info_read, "curl_multi_info_read");
    RESOLVE(slist_append, "curl_slist_append");
    RESOLVE(slist_free_all, "curl_slist_free_all");
    RESOLVE(version, "curl_version");
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed");
        api.easy_init = NULL;
    }
}

int osprey_curl_load(char *error, size_t error_size) {
    pthread_once(&once, load);
    if (api.easy_init && load_error[0] == 0) return 0;
    snprintf(error, error_size, "%s", load_error[0] ? load_error : "libcurl is not loaded");
    return -1;
}

CURL *osprey_curl_easy_init(void) { return api.easy_init(); }
void osprey_curl_easy_cleanup(CURL *easy) { api.easy_cleanup(easy); }
CURLcode osprey_curl_easy_setopt_long(CURL *easy, CURLoption option, long value) { return api.easy_setopt(easy, option, value); }
CURLcode osprey_curl_easy_setopt_string(CURL *easy, CURLoption option, const char *value) { return api.easy_setopt(easy, option, value); }
CURLcode osprey_curl_easy_setopt_pointer(CURL *easy, CURLoption option, void *value) { return api.easy_setopt(easy, option, value); }
CURLcode osprey_curl_easy_setopt_offset(CURL *easy, CURLoption option, curl_off_t value) { return api.easy_setopt(easy, option, value); }
CURLcode osprey_curl_easy_setopt_write(CURL *easy, CURLoption option, size_t (*callback)(char *, size_t, size_t, void *)) {
    return api.easy_setopt(easy, option, callback);
}
static int first_attempt_only(void *attempts, char *remote_ip, char *local_ip, int remote_port, int local_port) {
    (void)remote_ip, (void)local_ip, (void)remote_port, (void)local_port;
    int *count = attempts;
    return (*count)++ == 0 ? CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT;
}

CURLcode osprey_curl_easy_send_at_most_once(CURL *easy, int *attempts) {
    CURLcode code = api.easy_setopt(easy, CURLOPT_PREREQFUNCTION, first_attempt_only);
    return code != CURLE_OK ? code : api.easy_setopt(easy, CURLOPT_PREREQDATA, (void *)attempts);
}
CURLcode osprey_curl_easy_getinfo_long(CURL *easy, CURLINFO info, long *value) { return api.easy_getinfo(easy, info, value); }
CURLcode osprey_curl_easy_getinfo_pointer(CURL *easy, CURLINFO info, void **value) { return api.easy_getinfo(easy, info, value); }
const char *osprey_curl_easy_strerror(CURLcode code) { return api.easy_strerror(code); }

CURLM *osprey_curl_multi_init(void) { return api.multi_init(); }
CURLMcode osprey_curl_multi_cleanup(CURLM *multi) { return api.multi_cleanup(multi); }
CURLMcode osprey_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) { return api.multi_setopt(multi, option, value); }
CURLMcode osprey_curl_multi_add_handle(CURLM *multi, CURL *easy) { return api.multi_add_handle(multi, easy); }
CURLMcode osprey_curl_multi_remove_handle(CURLM *multi, CURL *easy) { return api.multi_remove_handle(multi, easy); }
CURLMcode osprey_curl_multi_perform(CURLM *multi, int *running) { return api.multi_perform(multi, running); }
CURLMcode osprey_curl_multi_poll(CURLM *multi, int timeout_ms, int *ready) { return api.multi_poll(multi, NULL, 0, timeout_ms, ready); }
CURLMcode osprey_curl_multi_wakeup(CURLM *multi) { return api.multi_wakeup(multi); }

int osprey_curl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result) {
    int left = 0;
    CURLMsg *message;
    while ((message = api.multi_info_read(multi, &left)) != NULL) {
        if (message->msg == CURLMSG_DONE) {
            *easy = message->easy_handle;
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}

struct curl_slist *osprey_curl_slist_append(struct curl_slist *list, const char *value) { return api.slist_append(list, value); }
void osprey_curl_slist_free_all(struct curl_slist *list) { api.slist_free_all(list); }
const char *osprey_curl_version(void) { return api.version(); }
