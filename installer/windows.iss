; Inno Setup script for 信用修复小班审核台 on Windows (cannot be built on the Linux build machine).
;
; Exact steps on a Windows 10/11 x64 machine with Python 3.11 (64-bit) and Inno Setup 6:
;   1. py -3.11 -m venv .venv && .venv\Scripts\activate
;   2. python -m pip install -e ".[gui,office]" pyinstaller
;   3. pyinstaller --noconfirm build_installer.spec          (one-folder build in dist\xinyong-desktop\)
;   4. dist\xinyong-desktop\xinyong-desktop.exe check ..\shared\samples\p003\packet --as-of 2023-06-10 --json
;      (must print the same JSON as `python -m xinyong_desktop check ...`)
;   5. "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\windows.iss
;      → installer\Output\xinyong-desktop-setup-<version>.exe
; The installer needs no internet: rules, fonts, Qt forms and the OCR models are inside the folder.
; User data (database, backups, logs) lives in %LOCALAPPDATA%\xinyong-desktop and survives upgrades.

#define AppVersion "0.1.0"

[Setup]
AppId={{6E0F4B7A-6C1D-4F0B-9A57-2C0E9B7D51A3}
AppName=信用修复小班审核台
AppVersion={#AppVersion}
AppPublisher=xinyong-desktop
DefaultDirName={autopf}\xinyong-desktop
DefaultGroupName=信用修复小班审核台
OutputBaseFilename=xinyong-desktop-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern

[Languages]
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Files]
Source: "..\dist\xinyong-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\信用修复小班审核台"; Filename: "{app}\xinyong-desktop.exe"; Parameters: "gui"
Name: "{autodesktop}\信用修复小班审核台"; Filename: "{app}\xinyong-desktop.exe"; Parameters: "gui"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加任务："

[Run]
Filename: "{app}\xinyong-desktop.exe"; Parameters: "gui"; Description: "启动审核台"; Flags: nowait postinstall skipifsilent
