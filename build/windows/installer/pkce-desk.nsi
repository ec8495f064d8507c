; PKCE Desk — the Windows installer (NSIS 3), built on Linux by
; scripts/dist-windows.sh:
;
;   makensis -INPUTCHARSET UTF8 -DVERSION=… -DVERSION4=… -DEXE=… -DCOM=… \
;            -DLICENSE=… -DICON=… -DCOMPANY=… -DCOPYRIGHT=… -DOUTFILE=… \
;            [-DWEBVIEW2_BOOTSTRAPPER=…] [-DNO_COMPRESS] pkce-desk.nsi
;
; What it does
;   * Installs pkce-desk.exe (the window) and pkce-desk.com (the command that
;     cmd.exe and PowerShell run for `pkce-desk …`) for the current user
;     (default, no administrator rights: %LOCALAPPDATA%\Programs\PKCE Desk)
;     or for everyone ("C:\Program Files\PKCE Desk", asks for administrator
;     rights through UAC and relaunches itself elevated).
;   * A Start-menu shortcut to pkce-desk.exe.
;   * Optionally (selected by default) adds the install folder to PATH: the
;     user's PATH for a per-user install, the system PATH for a per-machine
;     one, and tells running programs (WM_SETTINGCHANGE "Environment") so new
;     consoles see it. The uninstaller removes exactly that entry.
;   * Registers the uninstaller in Settings > Apps / Add or remove programs.
;   * Checks for the Microsoft Edge WebView2 Runtime (the registry keys
;     Wails checks) and, when it is missing, runs Microsoft's Evergreen
;     bootstrapper (embedded when WEBVIEW2_BOOTSTRAPPER is defined, which
;     dist-windows.sh takes from the Wails module) or points to its download.
;
; Command line (the installer)
;   /S              silent
;   /CURRENTUSER    install for the current user (the default)
;   /ALLUSERS       install for everyone (elevates when needed: a UAC prompt
;                   unless already run as administrator)
;   /NOPATH         do not add the install folder to PATH
;   /D=C:\some\dir  install folder (NSIS' own; must come last, no quotes)
; Command line (uninstall.exe): /S silent. It finds the scope by itself.
;
; Exit codes: 0 done, 1 cancelled/failed, 2 aborted by a script check
; (NSIS' own), 5 per-machine install without administrator rights, 64 not
; Windows 10 or later, 65 not 64-bit Windows.

Unicode true
ManifestDPIAware true
ManifestSupportedOS Win10
; Start unelevated: a per-user install needs no rights, and the per-machine
; choice relaunches the installer with "runas" (see RelaunchElevated).
RequestExecutionLevel user

!ifdef NO_COMPRESS
  ; Only for the tests (e2e/packaging), which read the compiled strings.
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

; --- Inputs --------------------------------------------------------------

!macro REQUIRE NAME
  !ifndef ${NAME}
    !error "define ${NAME} (makensis -D${NAME}=…): see the header of pkce-desk.nsi"
  !endif
!macroend
!insertmacro REQUIRE VERSION    ; the build's VERSION (git describe), shown to people
!insertmacro REQUIRE VERSION4   ; four numbers for the fixed version fields
!insertmacro REQUIRE EXE        ; path of pkce-desk.exe
!insertmacro REQUIRE COM        ; path of pkce-desk.com
!insertmacro REQUIRE LICENSE    ; path of LICENSE
!insertmacro REQUIRE ICON       ; path of icon.ico
!insertmacro REQUIRE COMPANY    ; publisher (wails.json info.companyName)
!insertmacro REQUIRE COPYRIGHT  ; wails.json info.copyright
!insertmacro REQUIRE OUTFILE    ; the setup .exe to write

!define PRODUCT "PKCE Desk"
; The install folder's name under Programs / Program Files.
!define DIRNAME "PKCE Desk"
; One key in HKCU (per-user) or HKLM (per-machine), 64-bit view.
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\PKCEDesk"
!define ENV_USER_KEY "Environment"
!define ENV_MACHINE_KEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
; The WebView2 Runtime's client GUID and Microsoft's Evergreen bootstrapper
; link (https://learn.microsoft.com/microsoft-edge/webview2/concepts/distribution).
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_URL "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
BrandingText "${PRODUCT} ${VERSION}"
; No InstallDir: .onInit picks the folder for the chosen scope, so an empty
; $INSTDIR there means no /D= was given.

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinVer.nsh
!include x64.nsh
!include WinMessages.nsh
!include nsDialogs.nsh
!include Sections.nsh

Var AllUsers      ; 1: per-machine install, 0: per-user
Var ModeGiven     ; 1: /ALLUSERS or /CURRENTUSER was given (no mode page)
Var Elevated      ; 1: this is the relaunched, elevated copy (/ELEVATED)
Var CmdLineDir    ; the folder given with /D=, if any
Var RadioUser
Var RadioAll

; --- Pages ---------------------------------------------------------------

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "Start ${PRODUCT}"
!define MUI_FINISHPAGE_RUN_FUNCTION LaunchApp

Page custom ModePageCreate ModePageLeave
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${PRODUCT} installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${COMPANY}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "${COPYRIGHT}"

; --- Sections ------------------------------------------------------------

Section "-${PRODUCT}" SecCore
  SectionIn RO
  SetRegView 64
  SetOutPath "$INSTDIR"
  File "/oname=pkce-desk.exe" "${EXE}"
  File "/oname=pkce-desk.com" "${COM}"
  File "/oname=LICENSE.txt" "${LICENSE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\pkce-desk.exe" "" "$INSTDIR\pkce-desk.exe" 0

  ; Settings > Apps (Add or remove programs), in the scope's hive.
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "${COMPANY}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\pkce-desk.exe,0"
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${UNINST_KEY}" "EstimatedSize" $0

  Call CheckWebView2
SectionEnd

Section "Add to PATH (run pkce-desk in new consoles)" SecPath
  Call AddToPath
SectionEnd

; An upgrade that unticks the PATH option takes out the entry added before.
Section "-PATH cleanup"
  ${IfNot} ${SectionIsSelected} ${SecPath}
    ReadRegDWORD $0 SHCTX "${UNINST_KEY}" "AddedToPath"
    ${If} $0 == 1
      Call RemoveFromPath
      DeleteRegValue SHCTX "${UNINST_KEY}" "AddedToPath"
    ${EndIf}
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecPath} "Adds the install folder to PATH (yours, or the system's for everyone), so `pkce-desk login` works in new Command Prompt and PowerShell windows."
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; --- Install scope -------------------------------------------------------

; ApplyMode sets the shell context (Start menu, SHCTX registry root) and the
; default folder for $AllUsers: the folder of an earlier install in that
; scope, else Programs\PKCE Desk (per-user) or Program Files (per-machine),
; unless /D= named one.
Function ApplyMode
  SetRegView 64
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
  ${If} $CmdLineDir != ""
    StrCpy $INSTDIR $CmdLineDir
    Return
  ${EndIf}
  ReadRegStr $0 SHCTX "${UNINST_KEY}" "InstallLocation"
  ${If} $0 != ""
    StrCpy $INSTDIR $0
  ${ElseIf} $AllUsers == 1
    StrCpy $INSTDIR "$PROGRAMFILES64\${DIRNAME}"
  ${Else}
    StrCpy $INSTDIR "$LOCALAPPDATA\Programs\${DIRNAME}"
  ${EndIf}
FunctionEnd

; IsAdmin pushes 1 when this process runs with administrator rights (an
; elevated token: under UAC an administrator's unelevated token is "User").
!macro IS_ADMIN_FUNCTION UN
Function ${UN}IsAdmin
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 == "Admin"
    Push 1
  ${Else}
    Push 0
  ${EndIf}
FunctionEnd
!macroend
!insertmacro IS_ADMIN_FUNCTION ""
!insertmacro IS_ADMIN_FUNCTION "un."

; RelaunchElevated runs this installer again through UAC ("runas") with
; /ALLUSERS /ELEVATED before the original arguments (so a /D= stays last),
; waits for it and quits. When elevation is refused it returns with the
; error flag set and the installer window shown again.
Function RelaunchElevated
  ${GetParameters} $0
  HideWindow
  ClearErrors
  ExecShellWait "runas" "$EXEPATH" "/ALLUSERS /ELEVATED $0"
  ${If} ${Errors}
    BringToFront
    MessageBox MB_OK|MB_ICONEXCLAMATION "${PRODUCT} did not get administrator rights, which installing it for everyone needs.$\n$\nChoose $\"Just for me$\" to install it without them." /SD IDOK
    SetErrors
    Return
  ${EndIf}
  Quit
FunctionEnd

Function .onInit
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "${PRODUCT} needs Windows 10 or later." /SD IDOK
    SetErrorLevel 64
    Quit
  ${EndIf}
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${PRODUCT} needs 64-bit Windows." /SD IDOK
    SetErrorLevel 65
    Quit
  ${EndIf}

  StrCpy $CmdLineDir $INSTDIR
  StrCpy $AllUsers 0
  StrCpy $ModeGiven 0
  StrCpy $Elevated 0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/CURRENTUSER" $R1
  ${IfNot} ${Errors}
    StrCpy $ModeGiven 1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
    StrCpy $ModeGiven 1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/ELEVATED" $R1
  ${IfNot} ${Errors}
    StrCpy $Elevated 1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/NOPATH" $R1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${SecPath}
  ${EndIf}

  ${If} $AllUsers == 1
    Call IsAdmin
    Pop $0
    ${If} $0 != 1
      ${If} $Elevated == 1
        ; The relaunched copy still has no rights: never loop.
        MessageBox MB_OK|MB_ICONSTOP "Installing ${PRODUCT} for everyone needs administrator rights." /SD IDOK
        SetErrorLevel 5
        Quit
      ${EndIf}
      Call RelaunchElevated
      ; Refused: there is no page to go back to, so stop.
      SetErrorLevel 5
      Quit
    ${EndIf}
  ${EndIf}
  Call ApplyMode
FunctionEnd

; The "who is it for" page, skipped when the command line chose.
Function ModePageCreate
  ${If} $ModeGiven == 1
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "Choose who can use ${PRODUCT}" "Install it for yourself, or for everyone who uses this computer."
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${NSD_CreateRadioButton} 0 8u 100% 12u "&Just for me (no administrator rights needed)"
  Pop $RadioUser
  ${NSD_CreateLabel} 12u 22u -12u 12u "Installs to $LOCALAPPDATA\Programs\${DIRNAME}"
  Pop $0
  ${NSD_CreateRadioButton} 0 44u 100% 12u "&Everyone who uses this computer (asks for administrator rights)"
  Pop $RadioAll
  ${NSD_CreateLabel} 12u 58u -12u 12u "Installs to $PROGRAMFILES64\${DIRNAME}"
  Pop $0
  ${If} $AllUsers == 1
    ${NSD_Check} $RadioAll
  ${Else}
    ${NSD_Check} $RadioUser
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function ModePageLeave
  ${NSD_GetState} $RadioAll $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $AllUsers 1
    Call IsAdmin
    Pop $0
    ${If} $0 != 1
      Call RelaunchElevated
      ; Only back here when elevation was refused: stay on this page.
      StrCpy $AllUsers 0
      Abort
    ${EndIf}
  ${Else}
    StrCpy $AllUsers 0
  ${EndIf}
  Call ApplyMode
FunctionEnd

; Start the app as the desktop user: from an elevated (per-machine)
; installer through Explorer, so the app does not run elevated.
Function LaunchApp
  ${If} $AllUsers == 1
    Exec '"$WINDIR\explorer.exe" "$INSTDIR\pkce-desk.exe"'
  ${Else}
    Exec '"$INSTDIR\pkce-desk.exe"'
  ${EndIf}
FunctionEnd

; --- PATH ----------------------------------------------------------------
; NSIS strings hold NSIS_MAX_STRLEN (1024 with Debian's makensis) characters.
; ReadRegStr returns "" with the error flag for a longer value, so a PATH
; that cannot be read whole is never written back: the installer says so
; and leaves it alone. These functions use $R0–$R9.

!macro PATH_FUNCTIONS UN
; ReadPath: $R0 = the scope's Path value (unexpanded), $R9 = "ok",
; "missing" or "toolong".
Function ${UN}ReadPath
  StrCpy $R9 "ok"
  ClearErrors
  ${If} $AllUsers == 1
    ReadRegStr $R0 HKLM "${ENV_MACHINE_KEY}" "Path"
  ${Else}
    ReadRegStr $R0 HKCU "${ENV_USER_KEY}" "Path"
  ${EndIf}
  ${IfNot} ${Errors}
    Return
  ${EndIf}
  ; Unreadable: missing, or too long (or not a string). Look for the name.
  StrCpy $R9 "missing"
  StrCpy $R1 0
  ${Do}
    ClearErrors
    ${If} $AllUsers == 1
      EnumRegValue $R2 HKLM "${ENV_MACHINE_KEY}" $R1
    ${Else}
      EnumRegValue $R2 HKCU "${ENV_USER_KEY}" $R1
    ${EndIf}
    ${If} ${Errors}
    ${OrIf} $R2 == ""
      ${ExitDo}
    ${EndIf}
    ${If} $R2 == "Path"
      StrCpy $R9 "toolong"
      ${ExitDo}
    ${EndIf}
    IntOp $R1 $R1 + 1
  ${Loop}
  StrCpy $R0 ""
FunctionEnd

; PathWithout: $R2 = $R0 (a Path value) without the entries equal to $R1
; (case-insensitive, with or without a trailing backslash) and without
; empty entries; $R3 = how many entries were dropped.
Function ${UN}PathWithout
  StrCpy $R2 ""
  StrCpy $R3 0
  StrCpy $R4 $R0
  ${DoWhile} $R4 != ""
    StrLen $R6 $R4
    StrCpy $R5 0
    ${DoWhile} $R5 < $R6
      StrCpy $R7 $R4 1 $R5
      ${If} $R7 == ";"
        ${ExitDo}
      ${EndIf}
      IntOp $R5 $R5 + 1
    ${Loop}
    StrCpy $R8 $R4 $R5
    IntOp $R5 $R5 + 1
    StrCpy $R4 $R4 "" $R5
    ${If} $R8 == $R1
    ${OrIf} $R8 == "$R1\"
      IntOp $R3 $R3 + 1
    ${ElseIf} $R8 != ""
      ${If} $R2 == ""
        StrCpy $R2 $R8
      ${Else}
        StrCpy $R2 "$R2;$R8"
      ${EndIf}
    ${EndIf}
  ${Loop}
FunctionEnd

; WritePath writes $R2 as the scope's Path (REG_EXPAND_SZ, as Windows keeps
; it) and tells running programs that the environment changed.
Function ${UN}WritePath
  ${If} $AllUsers == 1
    WriteRegExpandStr HKLM "${ENV_MACHINE_KEY}" "Path" $R2
  ${ElseIf} $R2 == ""
    DeleteRegValue HKCU "${ENV_USER_KEY}" "Path"
  ${Else}
    WriteRegExpandStr HKCU "${ENV_USER_KEY}" "Path" $R2
  ${EndIf}
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
FunctionEnd

; RemoveFromPath drops $INSTDIR from the scope's Path.
Function ${UN}RemoveFromPath
  Call ${UN}ReadPath
  ${If} $R9 == "toolong"
    DetailPrint "PATH is too long to edit here: remove $INSTDIR from it yourself."
    MessageBox MB_OK|MB_ICONINFORMATION "Your PATH is too long for this program to edit safely. Remove this folder from it yourself:$\n$\n$INSTDIR" /SD IDOK
    Return
  ${EndIf}
  StrCpy $R1 $INSTDIR
  Call ${UN}PathWithout
  ${If} $R3 > 0
    Call ${UN}WritePath
    DetailPrint "Removed $INSTDIR from PATH"
  ${EndIf}
FunctionEnd
!macroend
!insertmacro PATH_FUNCTIONS ""
!insertmacro PATH_FUNCTIONS "un."

; AddToPath appends $INSTDIR to the scope's Path unless it is there.
Function AddToPath
  Call ReadPath
  ${If} $R9 == "toolong"
    DetailPrint "PATH is too long to edit here: add $INSTDIR to it yourself."
    MessageBox MB_OK|MB_ICONINFORMATION "Your PATH is too long for this installer to edit safely. To run pkce-desk from a console, add this folder to it yourself:$\n$\n$INSTDIR" /SD IDOK
    Return
  ${EndIf}
  StrCpy $R1 $INSTDIR
  Call PathWithout
  ${If} $R3 > 0
    DetailPrint "$INSTDIR is already on PATH"
    Goto recorded
  ${EndIf}
  StrLen $R5 $R0
  StrLen $R6 $INSTDIR
  IntOp $R5 $R5 + $R6
  ${If} $R5 >= ${NSIS_MAX_STRLEN}
    DetailPrint "PATH would be too long to edit here: add $INSTDIR to it yourself."
    MessageBox MB_OK|MB_ICONINFORMATION "Your PATH is too long for this installer to edit safely. To run pkce-desk from a console, add this folder to it yourself:$\n$\n$INSTDIR" /SD IDOK
    Return
  ${EndIf}
  ; Keep the value as it was (empty entries and all), only append.
  StrCpy $R7 $R0 1 -1
  ${If} $R0 == ""
    StrCpy $R2 $INSTDIR
  ${ElseIf} $R7 == ";"
    StrCpy $R2 "$R0$INSTDIR"
  ${Else}
    StrCpy $R2 "$R0;$INSTDIR"
  ${EndIf}
  Call WritePath
  DetailPrint "Added $INSTDIR to PATH"
recorded:
  ; The uninstaller removes the entry only when this installer owns it.
  WriteRegDWORD SHCTX "${UNINST_KEY}" "AddedToPath" 1
FunctionEnd

; --- WebView2 ------------------------------------------------------------

; CheckWebView2 looks for the Evergreen WebView2 Runtime where Wails'
; installer does (per-machine under WOW6432Node, per-user under HKCU); a
; missing or empty "pv", or 0.0.0.0, means not installed.
Function CheckWebView2
  SetRegView 64
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} $0 != ""
  ${AndIf} $0 != "0.0.0.0"
    DetailPrint "Microsoft Edge WebView2 Runtime $0 is installed"
    Return
  ${EndIf}
!ifdef WEBVIEW2_BOOTSTRAPPER
  ; Microsoft's bootstrapper (1.7 MB) downloads and installs the runtime:
  ; per-machine from an elevated installer, per-user otherwise.
  DetailPrint "Installing the Microsoft Edge WebView2 Runtime (downloads it from Microsoft)..."
  InitPluginsDir
  File "/oname=$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" "${WEBVIEW2_BOOTSTRAPPER}"
  ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" /silent /install' $1
  Delete "$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe"
  ${If} $1 == 0
    DetailPrint "Installed the Microsoft Edge WebView2 Runtime"
    Return
  ${EndIf}
  DetailPrint "The WebView2 Runtime bootstrapper failed (exit code $1)"
  MessageBox MB_YESNO|MB_ICONEXCLAMATION "${PRODUCT} needs the Microsoft Edge WebView2 Runtime, and installing it failed (is this computer offline?).$\n$\nOpen Microsoft's download page now?$\n${WEBVIEW2_URL}" /SD IDNO IDNO done
!else
  DetailPrint "The Microsoft Edge WebView2 Runtime is not installed: get it from ${WEBVIEW2_URL}"
  MessageBox MB_YESNO|MB_ICONINFORMATION "${PRODUCT} needs the Microsoft Edge WebView2 Runtime, which is not installed.$\n$\nOpen Microsoft's download page now?$\n${WEBVIEW2_URL}" /SD IDNO IDNO done
!endif
  ExecShell "open" "${WEBVIEW2_URL}"
done:
FunctionEnd

; --- Uninstaller ---------------------------------------------------------

; The scope is the one whose registration points at this folder.
Function un.onInit
  SetRegView 64
  StrCpy $AllUsers 0
  ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 == $INSTDIR
    StrCpy $AllUsers 1
  ${EndIf}
  ${If} $AllUsers == 1
    Call un.IsAdmin
    Pop $0
    ${If} $0 != 1
      ${GetParameters} $R0
      ClearErrors
      ${GetOptions} $R0 "/ELEVATED" $R1
      ${IfNot} ${Errors}
        MessageBox MB_OK|MB_ICONSTOP "Removing ${PRODUCT} for everyone needs administrator rights." /SD IDOK
        SetErrorLevel 5
        Quit
      ${EndIf}
      ; Run the installed uninstaller again through UAC.
      ClearErrors
      ${If} ${Silent}
        ExecShellWait "runas" "$INSTDIR\uninstall.exe" "/ELEVATED /S"
      ${Else}
        ExecShellWait "runas" "$INSTDIR\uninstall.exe" "/ELEVATED"
      ${EndIf}
      ${If} ${Errors}
        MessageBox MB_OK|MB_ICONSTOP "Removing ${PRODUCT} for everyone needs administrator rights." /SD IDOK
        SetErrorLevel 5
      ${EndIf}
      Quit
    ${EndIf}
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
FunctionEnd

Section "Uninstall"
  SetRegView 64
  ReadRegDWORD $0 SHCTX "${UNINST_KEY}" "AddedToPath"
  ${If} $0 == 1
    Call un.RemoveFromPath
  ${EndIf}
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$INSTDIR\pkce-desk.exe"
  Delete "$INSTDIR\pkce-desk.com"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\uninstall.exe"
  ; Only if empty: never delete what someone else put in the folder.
  RMDir "$INSTDIR"
  DeleteRegKey SHCTX "${UNINST_KEY}"
  ; Settings and saved sign-ins (the user's profile, Credential Manager)
  ; stay: they belong to the user, not to the installation.
SectionEnd
