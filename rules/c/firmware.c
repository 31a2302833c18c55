/* firmware.c: the annotated test of rules/c/firmware.yml: a copy of
 * ../shared/examples/firmware/handlers.c (seed 004's shape) with ruleid/ok comments. */
/* Handlers: some are vulnerable on purpose. Each line marked BUG: is a finding that a
 * taint analysis from pRequest should report; each marked OK: must not be reported. */
#include <stdio.h>
#include <string.h>
#include "msg.h"

typedef struct { int field1; } Entry;
static Entry pTable1[PTABLE_SIZE];
static Entry pTable2[PTABLE_SIZE];
static UINT8 g_blob[BLOB_MAX];
static char g_fileName[64];

static int GetComponentVer(UINT8 *pRequest, int RequestLength, UINT8 *pResponse) {
    (void)pRequest; (void)RequestLength;
    // ok: firmware-unchecked-index, firmware-index-underflow, firmware-unchecked-size, firmware-path-traversal
    pResponse[0] = 3;                                   /* OK: constant index */
    return 1;
}

static int SetEntry(UINT8 *pRequest, int RequestLength, UINT8 *pResponse) {
    SetEntryRequest *pMsgReq = (SetEntryRequest *)pRequest;
    int index1 = pMsgReq->index1;
    (void)RequestLength; (void)pResponse;
    // ruleid: firmware-unchecked-index
    pTable1[index1].field1 = pMsgReq->value1;           /* BUG: unchecked index (write) */
    return 0;
}

static int GetEntry(UINT8 *pRequest, int RequestLength, UINT8 *pResponse) {
    GetEntryRequest *pMsgReq = (GetEntryRequest *)pRequest;
    int index2 = pMsgReq->index2;
    (void)RequestLength;
    if (index2 >= 0 && index2 < PTABLE_SIZE) {
        // ok: firmware-unchecked-index, firmware-index-underflow, firmware-unchecked-size, firmware-path-traversal
        pResponse[0] = (UINT8)pTable2[index2].field1;   /* OK: bounds-checked */
    }
    return 1;
}

static int GetPrevious(UINT8 *pRequest, int RequestLength, UINT8 *pResponse) {
    SetEntryRequest *pMsgReq = (SetEntryRequest *)pRequest;
    int index1 = pMsgReq->index1;
    (void)RequestLength;
    if (index1 >= PTABLE_SIZE) return -1;
    // ruleid: firmware-unchecked-index, firmware-index-underflow
    pResponse[0] = (UINT8)pTable1[index1 - 2].field1;   /* BUG: index underflow */
    return 1;
}

static int copy_payload(UINT8 *dst, const UINT8 *src, int n) {
    /* the size comes from CopyBlob's request: found through the call */
    // ruleid: firmware-unchecked-size
    memcpy(dst, src, n);                                /* BUG: size from request, via caller */
    return n;
}

static int CopyBlob(UINT8 *pRequest, int RequestLength, UINT8 *pResponse) {
    CopyBlobRequest *pMsgReq = (CopyBlobRequest *)pRequest;
    (void)RequestLength; (void)pResponse;
    return copy_payload(g_blob, pMsgReq->data, pMsgReq->hdr.len);
}

static int Checksum(UINT8 *pRequest, int RequestLength, UINT8 *pResponse) {
    ChecksumRequest *pMsgReq = (ChecksumRequest *)pRequest;
    unsigned int crc;
    (void)RequestLength;
    if (pMsgReq->length > BLOB_MAX) return -1;
    // ok: firmware-unchecked-index, firmware-index-underflow, firmware-unchecked-size, firmware-path-traversal
    crc = CalculateChecksum(g_blob, pMsgReq->length);   /* OK: length checked above */
    // ok: firmware-unchecked-index, firmware-index-underflow, firmware-unchecked-size, firmware-path-traversal
    memcpy(pResponse, &crc, sizeof crc);                /* OK: constant size */
    return 4;
}

static int SetFileName(UINT8 *pRequest, int RequestLength, UINT8 *pResponse) {
    SetNameRequest *pMsgReq = (SetNameRequest *)pRequest;
    (void)RequestLength; (void)pResponse;
    strncpy(g_fileName, pMsgReq->name, sizeof g_fileName - 1);
    return 0;
}

static int ReadFile(UINT8 *pRequest, int RequestLength, UINT8 *pResponse) {
    char path[128];
    FILE *f;
    (void)pRequest; (void)RequestLength;
    snprintf(path, sizeof path, "/data/%s", g_fileName);
    /* the name was stored by SetFileName, another message: found through the global */
    // ruleid: firmware-path-traversal
    f = fopen(path, "rb");                              /* BUG: path traversal across two messages */
    if (!f) return -1;
    fread(pResponse, 1, 16, f);
    fclose(f);
    return 16;
}

CommandHandlerTable g_CommandHandlers_Base[] = {
    { CMD_GET_COMPONENT_VER, 0, GetComponentVer, "GetComponentVer" },
    { CMD_SET_ENTRY, sizeof(SetEntryRequest), SetEntry, "SetEntry" },
    { CMD_GET_ENTRY, sizeof(GetEntryRequest), GetEntry, "GetEntry" },
    { CMD_GET_PREV, sizeof(SetEntryRequest), GetPrevious, "GetPrevious" },
    { 0, 0, NULL, NULL }
};

CommandHandlerTable g_CommandHandlers_App0[] = {
    { CMD_COPY_BLOB, -1, CopyBlob, "CopyBlob" },
    { CMD_CHECKSUM, sizeof(ChecksumRequest), Checksum, "Checksum" },
    { CMD_SET_NAME, sizeof(SetNameRequest), SetFileName, "SetFileName" },
    { CMD_READ_FILE, 0, ReadFile, "ReadFile" },
    { 0, 0, NULL, NULL }
};

MessageCategoryTable g_MessageCategoryTable[] = {
    { CMD_CATEGORY_BASE, g_CommandHandlers_Base },
    { CMD_CATEGORY_APP0, g_CommandHandlers_App0 },
    { 0, NULL }
};
